import { aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_elasticache as elasticache, aws_elasticloadbalancingv2 as elbv2, Duration, Fn } from 'aws-cdk-lib'
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront'
import type * as ecs from 'aws-cdk-lib/aws-ecs'
import { Construct } from 'constructs'
import { alarms, errorBudget, slo } from '../design.ts'
import type { Environment } from '../environments.ts'
import type { AlarmTopics } from './alarm-topics.ts'

export interface AlarmsProps {
  environment: Environment
  topics: AlarmTopics
  alb: elbv2.ApplicationLoadBalancer
  targetGroup: elbv2.ApplicationTargetGroup
  service: ecs.FargateService
  redis: elasticache.CfnReplicationGroup
  distribution: cloudfront.Distribution
  webAclName: string
}

const minutes = (n: number) => Duration.minutes(n)

/**
 * The CloudWatch side of section 4.2: the alarms on what AWS measures (ALB, ECS, ElastiCache, CloudFront) and the
 * service dashboard. The alarms on the application's own metrics (latency per route, event-loop lag, the MongoDB
 * pool, rate-limit rejections) are Prometheus rules (monitoring/prometheus), evaluated by the workspace.
 */
export class Alarms extends Construct {
  constructor (scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id)
    const { environment, topics, alb, targetGroup, service, redis, distribution } = props
    const page = new actions.SnsAction(topics.page)
    const ticket = new actions.SnsAction(topics.ticket)

    // Error budget burn, multi-window: both the long and the short window must burn, so it fires fast and clears fast.
    const burn = (name: string, rate: number, longMinutes: number, shortMinutes: number, action: actions.SnsAction) => {
      const windows = [longMinutes, shortMinutes].map(windowMinutes => this.fiveXxRatio(alb, windowMinutes).createAlarm(this, `${name}${windowMinutes}m`, {
        alarmDescription: `5xx ratio over ${windowMinutes} min above ${rate}x the error budget (${slo.availabilityPercent} %)`,
        threshold: rate * errorBudget,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
      }))
      new cloudwatch.CompositeAlarm(this, name, {
        alarmDescription: `Error budget burning at ${rate}x over ${longMinutes} and ${shortMinutes} min`,
        alarmRule: cloudwatch.AlarmRule.allOf(...windows)
      }).addAlarmAction(action)
    }
    burn('ErrorBudgetFastBurn', alarms.fastBurn.rate, alarms.fastBurn.longWindowMinutes, alarms.fastBurn.shortWindowMinutes, page)
    burn('ErrorBudgetSlowBurn', alarms.slowBurn.rate, alarms.slowBurn.longWindowMinutes, alarms.slowBurn.shortWindowMinutes, ticket)

    // Per-route p99 is a Prometheus alert; this is the ALB's backstop at the loosest route objective.
    const loosestObjectiveMs = Math.max(...slo.latencyP99Ms.map(objective => objective.ms))
    targetGroup.metrics.targetResponseTime({ statistic: 'p99', period: minutes(1) }).createAlarm(this, 'LatencyP99', {
      alarmDescription: `ALB p99 target response time above ${loosestObjectiveMs} ms for ${alarms.latencyForMinutes} min`,
      threshold: loosestObjectiveMs / 1000,
      evaluationPeriods: alarms.latencyForMinutes,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    }).addAlarmAction(page)

    targetGroup.metrics.healthyHostCount({ statistic: 'Minimum', period: minutes(1) }).createAlarm(this, 'HealthyHosts', {
      alarmDescription: `fewer than ${alarms.minHealthyHosts} healthy API tasks behind the ALB`,
      threshold: alarms.minHealthyHosts,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING
    }).addAlarmAction(page)
    targetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum', period: minutes(1) }).createAlarm(this, 'UnhealthyHosts', {
      alarmDescription: `an API task failing /ready for ${alarms.unhealthyHostsForMinutes} min`,
      threshold: 1,
      evaluationPeriods: alarms.unhealthyHostsForMinutes,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    }).addAlarmAction(ticket)

    const atMaximum = new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
      statistic: 'Minimum',
      period: minutes(1)
    }).createAlarm(this, 'RunningAtMaximum', {
      alarmDescription: `running tasks at the maximum of ${environment.tasks.maximum}`,
      threshold: environment.tasks.maximum,
      evaluationPeriods: alarms.tasksAtMaximumForMinutes,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    })
    const busy = service.metricCpuUtilization({ period: minutes(1) }).createAlarm(this, 'CpuHigh', {
      alarmDescription: `service CPU above ${alarms.tasksAtMaximumCpuPercent} %`,
      threshold: alarms.tasksAtMaximumCpuPercent,
      evaluationPeriods: alarms.tasksAtMaximumForMinutes,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    })
    new cloudwatch.CompositeAlarm(this, 'TasksAtMaximum', {
      alarmDescription: `at ${environment.tasks.maximum} tasks and CPU above ${alarms.tasksAtMaximumCpuPercent} % for ${alarms.tasksAtMaximumForMinutes} min: no room left to scale`,
      alarmRule: cloudwatch.AlarmRule.allOf(atMaximum, busy)
    }).addAlarmAction(page)

    // One alarm per node: ElastiCache reports CPU per cache cluster (node), named after the group.
    for (const node of ['001', '002']) {
      new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName: 'EngineCPUUtilization',
        dimensionsMap: { CacheClusterId: Fn.join('-', [redis.ref, node]) },
        statistic: 'Average',
        period: minutes(1)
      }).createAlarm(this, `RedisCpu${node}`, {
        alarmDescription: `Redis node ${node} engine CPU above ${alarms.redisCpuPercent} % for ${alarms.redisCpuForMinutes} min`,
        threshold: alarms.redisCpuPercent,
        evaluationPeriods: alarms.redisCpuForMinutes,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
      }).addAlarmAction(ticket)
    }

    const edge = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/CloudFront',
      metricName,
      dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' },
      statistic,
      period: minutes(1)
    })
    edge('5xxErrorRate', 'Average').createAlarm(this, 'Edge5xx', {
      alarmDescription: `CloudFront 5xx error rate above ${alarms.edge5xxPercent} % for ${alarms.edge5xxForMinutes} min`,
      threshold: alarms.edge5xxPercent,
      evaluationPeriods: alarms.edge5xxForMinutes,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    }).addAlarmAction(page)
    edge('CacheHitRate', 'Average').createAlarm(this, 'EdgeCacheHitRate', {
      alarmDescription: `CloudFront cache hit rate below ${alarms.edgeCacheHitPercent} % for ${alarms.edgeCacheHitForMinutes} min: a cache-key or header regression`,
      threshold: alarms.edgeCacheHitPercent,
      evaluationPeriods: alarms.edgeCacheHitForMinutes,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING
    }).addAlarmAction(ticket)

    this.dashboard(props, edge)
  }

  private fiveXxRatio (alb: elbv2.ApplicationLoadBalancer, windowMinutes: number): cloudwatch.MathExpression {
    const period = minutes(windowMinutes)
    return new cloudwatch.MathExpression({
      label: `5xx ratio (${windowMinutes} min)`,
      expression: '(target5xx + elb5xx) / MAX([requests, 1])',
      period,
      usingMetrics: {
        target5xx: alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' }),
        elb5xx: alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period, statistic: 'Sum' }),
        requests: alb.metrics.requestCount({ period, statistic: 'Sum' })
      }
    })
  }

  /** The Service, Capacity and Edge views of section 4.2 (the Database view is Atlas's own and the Grafana one). */
  private dashboard (props: AlarmsProps, edge: (metricName: string, statistic: string) => cloudwatch.Metric): void {
    const { environment, alb, targetGroup, service, webAclName } = props
    const graph = (title: string, left: cloudwatch.IMetric[]) => new cloudwatch.GraphWidget({ title, left, width: 12 })
    new cloudwatch.Dashboard(this, 'Dashboard', { // eslint-disable-line no-new
      dashboardName: `songs-api-${environment.name}`,
      widgets: [
        [graph('Requests', [alb.metrics.requestCount()]), graph('5xx ratio (5 min)', [this.fiveXxRatio(alb, 5)])],
        [graph('Target response time p50 / p99', [targetGroup.metrics.targetResponseTime({ statistic: 'p50' }), targetGroup.metrics.targetResponseTime({ statistic: 'p99' })]),
          graph('Healthy / unhealthy tasks', [targetGroup.metrics.healthyHostCount(), targetGroup.metrics.unhealthyHostCount()])],
        [graph('Service CPU and memory', [service.metricCpuUtilization(), service.metricMemoryUtilization()]),
          graph('Requests per target', [targetGroup.metrics.requestCountPerTarget()])],
        [graph('Edge requests, 5xx rate, cache hit rate', [edge('Requests', 'Sum'), edge('5xxErrorRate', 'Average'), edge('CacheHitRate', 'Average')]),
          graph('WAF blocked requests', [new cloudwatch.Metric({ namespace: 'AWS/WAFV2', metricName: 'BlockedRequests', dimensionsMap: { WebACL: webAclName, Rule: 'ALL' }, statistic: 'Sum' })])]
      ]
    })
  }
}
