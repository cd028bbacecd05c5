import { aws_iam as iam, aws_kms as kms, RemovalPolicy, Stack } from 'aws-cdk-lib'
import { Construct } from 'constructs'

/**
 * The customer-managed key for data at rest: secrets, log groups, Redis, the alarm topics. Rotated yearly;
 * CloudWatch Logs may use it for this account's log groups only, CloudWatch alarms to publish to the topics.
 */
export class EncryptionKey extends Construct {
  readonly key: kms.Key

  constructor (scope: Construct, id: string, props: { alias: string }) {
    super(scope, id)
    this.key = new kms.Key(this, 'Key', { alias: props.alias, enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN })
    const { region, account } = Stack.of(this)
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${account}:log-group:*` } }
    }))
    // Alarms publish to topics encrypted with this key.
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*']
    }))
  }
}
