import { aws_applicationautoscaling as appscaling, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2, Duration, TimeZone } from 'aws-cdk-lib'
import { scaling } from '../design.ts'
import type { Environment } from '../environments.ts'

/**
 * Target tracking on CPU and on requests per target, whichever asks for more tasks, between the environment's
 * bounds; scheduled actions raise the minimum before the weekend and lower it after (section 3.4).
 */
export function scaleApiService (service: ecs.FargateService, targetGroup: elbv2.ApplicationTargetGroup, environment: Environment): ecs.ScalableTaskCount {
  const cooldowns = {
    scaleOutCooldown: Duration.seconds(scaling.scaleOutCooldownSeconds),
    scaleInCooldown: Duration.seconds(scaling.scaleInCooldownSeconds)
  }
  const tasks = service.autoScaleTaskCount({ minCapacity: environment.tasks.minimum, maxCapacity: environment.tasks.maximum })
  tasks.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: scaling.cpuTargetPercent, ...cooldowns })
  tasks.scaleOnRequestCount('RequestsPerTarget', { requestsPerTarget: scaling.requestsPerTargetPerMinute, targetGroup, ...cooldowns })
  const { weekendStart, weekendEnd } = scaling
  tasks.scaleOnSchedule('WeekendMinimum', {
    schedule: appscaling.Schedule.cron({ weekDay: weekendStart.weekDay, hour: String(weekendStart.hour), minute: '0' }),
    timeZone: TimeZone.ETC_UTC,
    minCapacity: environment.tasks.weekendMinimum
  })
  tasks.scaleOnSchedule('WeekdayMinimum', {
    schedule: appscaling.Schedule.cron({ weekDay: weekendEnd.weekDay, hour: String(weekendEnd.hour), minute: '0' }),
    timeZone: TimeZone.ETC_UTC,
    minCapacity: environment.tasks.minimum
  })
  return tasks
}
