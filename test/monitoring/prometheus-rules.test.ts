import { readFileSync } from 'node:fs'
import t from 'tap'
import { parse } from 'yaml'
import { alarms, errorBudget, mongodbMaxPoolSize, slo } from '../../infra/design.ts'
import { externalProgram } from '../external-program.ts'
import { runProgram } from '../run-script.ts'
import { rules } from './rules.ts'

const RULES_DIR = new URL('../../monitoring/prometheus/', import.meta.url).pathname

const alert = (name: string) => {
  const found = rules.find(rule => rule.alert === name)
  if (!found) throw new Error(`no alert ${name}`)
  return found
}
const duration = (minutes: number) => minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`
const expr = (name: string) => alert(name).expr.replace(/\s+/g, ' ').trim()

t.test('the rules use the design’s numbers (infra/design.ts)', async t => {
  for (const [name, burn] of [['ErrorBudgetFastBurn', alarms.fastBurn], ['ErrorBudgetSlowBurn', alarms.slowBurn]] as const) {
    t.equal(expr(name), `job:http_errors:ratio_rate${duration(burn.longWindowMinutes)} > (${burn.rate} * ${errorBudget}) and job:http_errors:ratio_rate${duration(burn.shortWindowMinutes)} > (${burn.rate} * ${errorBudget})`, name)
  }
  t.same(expr('LatencyAboveObjective').split(' or '), slo.latencyP99Ms.map(o => `route:http_request_duration_seconds:p99_5m{method="${o.method}", route="${o.route}"} > ${o.ms / 1000}`), 'one objective per route')
  t.equal(alert('LatencyAboveObjective').for, duration(alarms.latencyForMinutes))
  t.equal(expr('EventLoopLag'), `max by (task) (nodejs_eventloop_lag_p99_seconds) > ${alarms.eventLoopLagP99Seconds}`)
  t.equal(alert('EventLoopLag').for, duration(alarms.eventLoopLagForMinutes))
  t.equal(alert('ServiceUnavailableAnswers').for, duration(alarms.eventLoopLagForMinutes), 'shedding: the same 5 minutes')
  t.equal(alert('DatabaseUnreachable').for, duration(alarms.databaseUnreachableForMinutes))
  t.equal(rules.find(rule => rule.record === 'task:mongodb_pool:saturation')?.expr, `mongodb_pool_connections_checked_out / ${mongodbMaxPoolSize}`)
  t.equal(expr('MongodbPoolSaturated'), `max by (task) (task:mongodb_pool:saturation) > ${alarms.poolSaturationRatio}`)
  t.equal(alert('MongodbPoolSaturated').for, duration(alarms.poolSaturationForMinutes))
  t.equal(expr('DatabaseCommandFailures'), `sum(rate(mongodb_command_failures_total[5m])) > ${alarms.commandFailuresPerSecond}`)
  t.equal(alert('DatabaseCommandFailures').for, duration(alarms.commandFailuresForMinutes))
  t.equal(expr('RateLimitRejections'), `job:http_rate_limited:ratio_rate5m > ${alarms.rateLimitedRatio}`)
  t.equal(alert('RateLimitRejections').for, duration(alarms.rateLimitedForMinutes))
  for (const rule of rules.filter(rule => rule.alert)) t.ok(['page', 'ticket'].includes(rule.labels?.severity ?? ''), `${rule.alert} pages or tickets`)
})

const promtool = externalProgram('promtool', 'apt-get install prometheus')

t.test('promtool accepts the rules', { skip: promtool.skip }, async t => {
  const check = await runProgram(promtool.path!, ['check', 'rules', 'songs-api.rules.yml'], { cwd: RULES_DIR })
  t.equal(check.code, 0, check.stdout + check.stderr)
  t.match(check.stdout, `SUCCESS: ${rules.length} rules found`)
})

t.test('promtool’s unit tests show each alert firing and staying silent on synthetic series', { skip: promtool.skip }, async t => {
  const tests = parse(readFileSync(`${RULES_DIR}songs-api.rules.test.yml`, 'utf8')).tests as Array<{ alert_rule_test?: Array<{ alertname: string, exp_alerts: unknown[] }> }>
  const cases = tests.flatMap(test => test.alert_rule_test ?? [])
  for (const { alert: name } of rules.filter(rule => rule.alert)) {
    t.ok(cases.some(c => c.alertname === name && c.exp_alerts.length > 0), `${name} is shown firing`)
    t.ok(cases.some(c => c.alertname === name && c.exp_alerts.length === 0), `${name} is shown silent`)
  }
  const unit = await runProgram(promtool.path!, ['test', 'rules', 'songs-api.rules.test.yml'], { cwd: RULES_DIR })
  t.equal(unit.code, 0, unit.stdout + unit.stderr)
  t.match(unit.stdout, 'SUCCESS')
})
