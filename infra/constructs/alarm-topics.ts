import { aws_iam as iam, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib'
import { Construct } from 'constructs'

/**
 * Where alarms go (section 4.2): `page` is the on-call now, `ticket` the next working day. Encrypted with the
 * stack's key; CloudWatch, the Prometheus workspace's alert manager and ElastiCache events may publish.
 */
export class AlarmTopics extends Construct {
  readonly page: sns.Topic
  readonly ticket: sns.Topic

  constructor (scope: Construct, id: string, props: { key: kms.IKey }) {
    super(scope, id)
    this.page = new sns.Topic(this, 'Page', { displayName: 'songs-api: page the on-call', masterKey: props.key, enforceSSL: true })
    this.ticket = new sns.Topic(this, 'Ticket', { displayName: 'songs-api: ticket for the next working day', masterKey: props.key, enforceSSL: true })
    for (const topic of [this.page, this.ticket]) {
      topic.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('aps.amazonaws.com')],
        actions: ['sns:Publish', 'sns:GetTopicAttributes'],
        resources: [topic.topicArn]
      }))
    }
  }
}
