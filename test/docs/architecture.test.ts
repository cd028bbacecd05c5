import { existsSync, readFileSync } from 'node:fs'
import t from 'tap'
import { alarms, cachedRoutes, deployment, edgeMaxTtlSeconds, mongodbMaxPoolSize, probes, scaling, slo, tracing, waf } from '../../infra/design.ts'
import { environment } from '../../infra/environments.ts'

// docs/architecture.md states the design's numbers in prose and tables; infra/design.ts is where they live.
const ROOT = new URL('../../', import.meta.url)
const doc = readFileSync(new URL('docs/architecture.md', ROOT), 'utf8')
/** The prose with line breaks as spaces, so a phrase matches wherever the lines wrap. */
const prose = doc.replace(/\s+/g, ' ')
const production = environment('production')
const staging = environment('staging')
const n = (value: number) => value.toLocaleString('en-US')
const DAY: Record<string, string> = { FRI: 'Friday', MON: 'Monday' }
const hour = (h: number) => `${String(h).padStart(2, '0')}:00 UTC`

/** The rows of the Markdown table whose header row starts with the given cells. */
function table (firstHeaders: string): string[][] {
  const lines = doc.split('\n')
  const start = lines.findIndex(line => line.startsWith(`| ${firstHeaders} |`))
  if (start < 0) throw new Error(`no table headed ${firstHeaders}`)
  const rows = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    rows.push(line.split('|').slice(1, -1).map(cell => cell.trim()))
  }
  return rows
}

t.test('scaling (section 3.4): bounds, targets, cooldowns, schedule and deploys', async t => {
  t.match(prose, `\`ECSServiceAverageCPUUtilization\` at ${scaling.cpuTargetPercent} %`)
  t.match(prose, `\`ALBRequestCountPerTarget\` at ${n(scaling.requestsPerTargetPerMinute)} per minute`)
  t.match(prose, `Scale-out cooldown ${scaling.scaleOutCooldownSeconds} s, scale-in ${scaling.scaleInCooldownSeconds} s`)
  t.match(prose, `raises the minimum to ${production.tasks.weekendMinimum} tasks on ${DAY[scaling.weekendStart.weekDay]} ${hour(scaling.weekendStart.hour)}`)
  t.match(prose, `lowers it to ${production.tasks.minimum} on ${DAY[scaling.weekendEnd.weekDay]} ${hour(scaling.weekendEnd.hour)}`)
  const tasks = table('situation')
  t.match(tasks[0]![2], `**minimum ${production.tasks.minimum}**`)
  t.match(tasks[1]![3], `**${production.tasks.weekendMinimum}**`)
  t.match(tasks[2]![3], `**maximum ${production.tasks.maximum}**`)
  t.match(prose, `\`minimumHealthyPercent\` ${deployment.minimumHealthyPercent}, \`maximumPercent\` ${deployment.maximumPercent}`)
  t.match(prose, `ALB deregistration delay (${deployment.deregistrationDelaySeconds} s)`)
  t.match(prose, `\`stopTimeout\` ${deployment.stopTimeoutSeconds} s`)
  t.match(prose, `Staging runs the same design smaller: ${staging.tasks.minimum} to ${staging.tasks.maximum} tasks of ${staging.task.cpu / 1024} vCPU and ${staging.task.memoryMiB / 1024} GB, \`${staging.redisNodeType}\`, Atlas ${staging.atlas.instanceSize} to ${staging.atlas.maxInstanceSize}`)
  t.match(prose, `**Planning figure: 500 req/s per task** (${production.task.cpu / 1024} vCPU, ${production.task.memoryMiB / 1024} GB Fargate)`)
})

t.test('Redis and Atlas sizes (sections 3.5, 3.6)', async t => {
  t.match(prose, `(\`${production.redisNodeType}\`, Multi-AZ, automatic failover)`)
  t.match(prose, `**Tier**: ${production.atlas.instanceSize} (16 GB RAM`)
  t.match(prose, `compute auto-scaling allowed between ${production.atlas.instanceSize} and ${production.atlas.maxInstanceSize}`)
  t.match(prose, `as a ${production.atlas.nodes}-node replica set across three AZs`)
  t.match(prose, `\`maxPoolSize=${mongodbMaxPoolSize}\` per task`)
  t.match(prose, `Budget at the maximum of ${production.tasks.maximum} tasks`)
})

t.test('edge (sections 2, 3.2): each cached route’s TTL is the max-age in the design, WAF’s rate rule', async t => {
  const rows = table('route | share of requests')
  for (const route of cachedRoutes) {
    const path = route.route.replace(':song_id', ':id')
    const row = rows.find(r => r[0]!.startsWith(`\`${path}\``))
    t.ok(row, `${route.route} in the edge table`)
    t.equal(row?.[2], `${route.originMaxAge} s`, `${route.route} TTL`)
  }
  t.match(prose, `a ceiling of ${edgeMaxTtlSeconds} s`)
  t.match(prose, `a rate-based rule per IP (e.g. ${n(waf.rateLimitPer5Minutes)} requests / 5 min)`)
  for (const route of cachedRoutes) t.match(prose, route.queryStrings.map(q => `\`${q}\``).join(', ') || 'none', `${route.route} query strings named`)
})

t.test('probes (section 4.1): the ALB and container health-check settings', async t => {
  const { readiness } = probes
  t.match(prose, `ALB settings: interval ${readiness.intervalSeconds} s, timeout ${readiness.timeoutSeconds} s (> the 2 s database timeout), healthy ${readiness.healthyThreshold}, unhealthy ${readiness.unhealthyThreshold}.`)
  t.match(prose, `\`GET ${readiness.path}\``)
  t.match(prose, `\`GET ${probes.liveness.path}\``)
})

t.test('SLOs and alarms (section 4.2)', async t => {
  const objectives = table('objective')
  t.match(objectives[0]![1], `${slo.availabilityPercent} %`)
  t.match(prose, `**SLOs** (${slo.windowDays}-day windows`)
  const latency = objectives.slice(1)
  for (const objective of slo.latencyP99Ms) {
    const path = objective.route.replace(':song_id', ':id')
    const row = latency.find(r => r[0]!.includes(`\`${objective.method} ${path}\``))
    t.equal(row?.[1], `< ${objective.ms} ms`, `${objective.method} ${objective.route}`)
  }
  const rows = Object.fromEntries(table('alarm').map(row => [row[0], row[1]]))
  t.equal(rows['error budget burn (5xx ratio)'], `> ${alarms.fastBurn.rate}× budget rate over 1 h and over ${alarms.fastBurn.shortWindowMinutes} min (≈ ${(alarms.fastBurn.rate * (100 - slo.availabilityPercent)).toFixed(1)} % 5xx)`)
  t.equal(rows['error budget burn, slow'], `> ${alarms.slowBurn.rate}× budget rate over ${alarms.slowBurn.longWindowMinutes / 60} h and ${alarms.slowBurn.shortWindowMinutes} min`)
  t.equal(rows['p99 latency per route'], `above its objective for ${alarms.latencyForMinutes} min`)
  t.equal(rows['ALB healthy hosts'], `< ${alarms.minHealthyHosts}, or \`UnHealthyHostCount\` ≥ 1 for ${alarms.unhealthyHostsForMinutes} min`)
  t.equal(rows['tasks at maximum'], `running = ${production.tasks.maximum} and CPU > ${alarms.tasksAtMaximumCpuPercent} % for ${alarms.tasksAtMaximumForMinutes} min`)
  t.equal(rows['event-loop lag'], `\`nodejs_eventloop_lag_p99_seconds\` > ${alarms.eventLoopLagP99Seconds} for ${alarms.eventLoopLagForMinutes} min, or any \`OVERLOADED\` 503 for ${alarms.eventLoopLagForMinutes} min`)
  t.equal(rows['database reachability'], `\`mongodb_pool_checkout_failures_total\` or \`DATABASE_UNAVAILABLE\` > 0 for ${alarms.databaseUnreachableForMinutes} min`)
  t.equal(rows['database commands'], `\`mongodb_command_failures_total\` rate > ${alarms.commandFailuresPerSecond}/s for ${alarms.commandFailuresForMinutes} min`)
  t.equal(rows['database pool saturation'], `\`mongodb_pool_connections_checked_out\` > ${alarms.poolSaturationRatio * 100} % of \`maxPoolSize\` (${mongodbMaxPoolSize}) for ${alarms.poolSaturationForMinutes} min`)
  t.equal(rows['rate-limit rejections'], `\`429\` answers > ${alarms.rateLimitedRatio * 100} % of all answers for ${alarms.rateLimitedForMinutes} min`)
  t.equal(rows.Redis, `CPU > ${alarms.redisCpuPercent} % for ${alarms.redisCpuForMinutes} min; any failover`)
  t.equal(rows.edge, `CloudFront \`5xxErrorRate\` > ${alarms.edge5xxPercent} % for ${alarms.edge5xxForMinutes} min (page); cache hit ratio < ${alarms.edgeCacheHitPercent} % for ${alarms.edgeCacheHitForMinutes} min (ticket: a cache-key or header regression)`)
})

t.test('each section names the code that implements it, and every file it names exists', async t => {
  const sections = doc.split(/^## /m).slice(1)
  for (const section of sections.filter(s => /^[1-4]\./.test(s))) {
    t.match(section.replace(/\s+/g, ' '), /Code: `(infra|monitoring|src)\//, `section ${section.slice(0, 30).trim()}… names its code`)
  }
  const paths = new Set([...doc.matchAll(/`((?:infra|monitoring|src|test)\/[^`\s]+\.(?:ts|yml|json))`/g)].map(m => m[1]!))
  t.ok(paths.size >= 20, `${paths.size} files named`)
  for (const path of paths) t.ok(existsSync(new URL(path, ROOT)), `${path} exists`)
})

t.test('traces (section 4.2): the sampling ratio, what it records at the peak, the receiver port', async t => {
  t.match(prose, `**\`parentbased_traceidratio\` at ${tracing.sampleRatio * 100} %**`)
  // The origin's peak (section 3.2) times the ratio.
  t.match(prose, `≈ 2,600 req/s that reach the origin at the peak that is ≈ ${Math.round(2600 * tracing.sampleRatio)} traces/s`)
  t.match(prose, `(\`127.0.0.1:${tracing.otlpHttpPort}\`)`)
})
