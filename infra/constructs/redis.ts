import { aws_ec2 as ec2, aws_elasticache as elasticache, aws_kms as kms, aws_secretsmanager as secretsmanager, aws_sns as sns, Fn, SecretValue, Validations } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import type { Environment } from '../environments.ts'

// Not the default 6379 (cdk-nag AEC5): scanners looking for open Redis ports do not find it by the number.
const REDIS_PORT = 6380

/**
 * ElastiCache for Redis (section 3.5): a primary and a replica in two AZs with automatic failover, encrypted at
 * rest (the stack's key) and in transit, AUTH token from Secrets Manager. `REDIS_URL` is a secret too, since it
 * carries the token; only the API tasks' security group reaches port 6379.
 */
export class Redis extends Construct {
  readonly securityGroup: ec2.SecurityGroup
  readonly url: secretsmanager.Secret
  readonly replicationGroup: elasticache.CfnReplicationGroup
  readonly port = ec2.Port.tcp(REDIS_PORT)

  constructor (scope: Construct, id: string, props: { environment: Environment, vpc: ec2.IVpc, key: kms.IKey, events: sns.ITopic }) {
    super(scope, id)
    const { environment, vpc, key, events } = props
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc, description: 'Redis: reachable from the API tasks only', allowAllOutbound: false })
    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'isolated subnets for Redis',
      subnetIds: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds
    })
    const token = new secretsmanager.Secret(this, 'AuthToken', {
      description: 'Redis AUTH token',
      encryptionKey: key,
      generateSecretString: { excludePunctuation: true, passwordLength: 64 }
    })
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: `songs-api ${environment.name}: shared rate-limit counters`,
      engine: 'redis',
      cacheNodeType: environment.redisNodeType,
      port: REDIS_PORT,
      numCacheClusters: 2,
      multiAzEnabled: true,
      automaticFailoverEnabled: true,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      atRestEncryptionEnabled: true,
      kmsKeyId: key.keyId,
      transitEncryptionEnabled: true,
      authToken: token.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: 1,
      notificationTopicArn: events.topicArn,
      autoMinorVersionUpgrade: true
    })
    const { attrPrimaryEndPointAddress: host, attrPrimaryEndPointPort: port } = this.replicationGroup
    // The token goes in as a dynamic reference that CloudFormation resolves at deploy time: never in the template.
    this.url = new secretsmanager.Secret(this, 'Url', {
      description: 'REDIS_URL for the API tasks',
      encryptionKey: key,
      secretStringValue: SecretValue.unsafePlainText(Fn.join('', ['rediss://:', token.secretValue.unsafeUnwrap(), '@', host, ':', port]))
    })
    for (const secret of [token, this.url]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'ElastiCache changes an AUTH token only through ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE then SET); rotate both secrets with that procedure, not a Secrets Manager rotation function'
      })
    }
  }
}
