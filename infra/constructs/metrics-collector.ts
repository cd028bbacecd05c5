import { aws_aps as aps, aws_ecs as ecs, aws_iam as iam, type aws_kms as kms, type aws_logs as logs, Fn, Stack } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { readFileSync } from 'node:fs'
import { containerPort } from '../design.ts'
import type { AlarmTopics } from './alarm-topics.ts'

/** The Prometheus rules of monitoring/ (recording and alerting), loaded into the workspace as they are. */
export const PROMETHEUS_RULES = new URL('../../monitoring/prometheus/songs-api.rules.yml', import.meta.url)

// ADOT collector image, pinned: the sidecars that scrape the task's own /metrics and receive its traces.
export const COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3'

/**
 * Application metrics (section 4.2): an ADOT collector sidecar scrapes `/metrics` on the task's own address
 * (so the path never goes through the ALB) and remote-writes to an Amazon Managed Service for Prometheus
 * workspace, which evaluates the recording and alerting rules of monitoring/prometheus and sends each alert to
 * the topic its `severity` label names. The task role may write to that workspace and do nothing else.
 */
export class MetricsCollector extends Construct {
  readonly workspace: aps.CfnWorkspace

  constructor (scope: Construct, id: string, props: { name: string, taskDefinition: ecs.FargateTaskDefinition, logGroup: logs.ILogGroup, topics: AlarmTopics, key: kms.IKey }) {
    super(scope, id)
    const { name, taskDefinition, logGroup, topics, key } = props
    this.workspace = new aps.CfnWorkspace(this, 'Workspace', {
      alias: name,
      kmsKeyArn: key.keyArn,
      alertManagerDefinition: alertManagerConfig(topics, Stack.of(this).region)
    })
    new aps.CfnRuleGroupsNamespace(this, 'Rules', { // eslint-disable-line no-new
      workspace: this.workspace.attrArn,
      name: 'songs-api',
      data: readFileSync(PROMETHEUS_RULES, 'utf8')
    })
    taskDefinition.addContainer('metrics-collector', {
      image: ecs.ContainerImage.fromRegistry(COLLECTOR_IMAGE),
      essential: false,
      memoryReservationMiB: 128,
      readonlyRootFilesystem: true,
      environment: { AOT_CONFIG_CONTENT: Fn.sub(collectorConfig(), { Endpoint: this.workspace.attrPrometheusEndpoint }) },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'metrics-collector' })
    })
    taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['aps:RemoteWrite'], resources: [this.workspace.attrArn] }))
  }
}

/** A Fn::Sub placeholder; `${!x}` comes out as a literal `${x}`. */
const substitute = (name: string) => `\${${name}}`
// Every task scrapes 127.0.0.1: the collector expands HOSTNAME (the task's own) so each task's series stay apart.
const TASK_LABEL = substitute('!env:HOSTNAME')

/** The collector's configuration, a template for Fn::Sub (`${Endpoint}`: the workspace's, `${AWS::Region}`). */
function collectorConfig (): string {
  return JSON.stringify({
    extensions: { sigv4auth: { region: substitute('AWS::Region'), service: 'aps' } },
    receivers: {
      prometheus: {
        config: {
          scrape_configs: [{ job_name: 'songs-api', scrape_interval: '15s', static_configs: [{ targets: [`127.0.0.1:${containerPort}`], labels: { task: TASK_LABEL } }] }]
        }
      }
    },
    exporters: { prometheusremotewrite: { endpoint: `${substitute('Endpoint')}api/v1/remote_write`, auth: { authenticator: 'sigv4auth' } } },
    service: { extensions: ['sigv4auth'], pipelines: { metrics: { receivers: ['prometheus'], exporters: ['prometheusremotewrite'] } } }
  })
}

/** Alert manager routing: `severity: page` to the page topic, everything else to the ticket topic. */
function alertManagerConfig (topics: AlarmTopics, region: string): string {
  const receiver = (name: string, topicArn: string) => ({ name, sns_configs: [{ topic_arn: topicArn, sigv4: { region } }] })
  return JSON.stringify({
    alertmanager_config: JSON.stringify({
      route: { receiver: 'ticket', group_by: ['alertname'], routes: [{ receiver: 'page', matchers: ['severity="page"'] }] },
      receivers: [receiver('page', topics.page.topicArn), receiver('ticket', topics.ticket.topicArn)]
    })
  })
}
