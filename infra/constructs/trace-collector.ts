import { aws_ecs as ecs, aws_iam as iam, type aws_logs as logs, Fn, Validations } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { tracing } from '../design.ts'
import { COLLECTOR_IMAGE } from './metrics-collector.ts'

/**
 * Traces (section 4.2): an ADOT collector sidecar receives the API container's spans over OTLP/HTTP on the task's
 * loopback and exports them to AWS X-Ray. The API decides what is sampled (`tracing.sampleRatio`, through the
 * standard `OTEL_*` variables), so the collector forwards everything it gets and needs no X-Ray sampling rules;
 * the task role may put trace segments and telemetry records and nothing more. Not essential: a failed collector
 * loses traces, never requests.
 */
export class TraceCollector extends Construct {
  constructor (scope: Construct, id: string, props: { taskDefinition: ecs.FargateTaskDefinition, api: ecs.ContainerDefinition, logGroup: logs.ILogGroup }) {
    super(scope, id)
    const { taskDefinition, api, logGroup } = props
    const collector = taskDefinition.addContainer('trace-collector', {
      image: ecs.ContainerImage.fromRegistry(COLLECTOR_IMAGE),
      essential: false,
      memoryReservationMiB: 64,
      readonlyRootFilesystem: true,
      environment: { AOT_CONFIG_CONTENT: Fn.sub(collectorConfig()) },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'trace-collector' })
    })
    api.addEnvironment('OTEL_EXPORTER_OTLP_ENDPOINT', `http://127.0.0.1:${tracing.otlpHttpPort}`)
    api.addEnvironment('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf')
    api.addEnvironment('OTEL_TRACES_SAMPLER', 'parentbased_traceidratio')
    api.addEnvironment('OTEL_TRACES_SAMPLER_ARG', String(tracing.sampleRatio))
    // The API's first spans find the receiver listening.
    api.addContainerDependencies({ container: collector, condition: ecs.ContainerDependencyCondition.START })
    const statement = new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })
    taskDefinition.addToTaskRolePolicy(statement)
    Validations.of(taskDefinition.taskRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions (they must be "*"); the role may do nothing else with X-Ray'
    })
  }
}

/** A Fn::Sub placeholder. */
const substitute = (name: string) => `\${${name}}`

/** The collector's configuration, a template for Fn::Sub (`${AWS::Region}`). */
function collectorConfig (): string {
  return JSON.stringify({
    receivers: { otlp: { protocols: { http: { endpoint: `127.0.0.1:${tracing.otlpHttpPort}` } } } },
    processors: { batch: {} },
    exporters: { awsxray: { region: substitute('AWS::Region'), indexed_attributes: ['http.route', 'http.response.status_code'] } },
    service: {
      pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['awsxray'] } },
      // The metrics collector in the same task serves the collector's own metrics port; this one serves none.
      telemetry: { metrics: { level: 'none' } }
    }
  })
}
