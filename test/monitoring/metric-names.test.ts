import { readFileSync } from 'node:fs'
import t from 'tap'
import { testDatabase } from '../helper.ts'
import { freePort, startServer } from '../run-script.ts'
import { rules } from './rules.ts'

const DASHBOARD = new URL('../../monitoring/grafana/songs-api.dashboard.json', import.meta.url)
const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset'])

/** The series names a PromQL expression reads: identifiers that are not functions, keywords or label names. */
function seriesNames (expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // string literals
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\b(?:by|without|on|ignoring)\s*\([^)]*\)/g, '') // grouping label lists
    .replace(/\[[^\]]*\]/g, '') // range selectors
  return [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)]
    .filter(([, name, call]) => !call && !PROMQL_WORDS.has(name!))
    .map(([, name]) => name!)
}

/** Every sample name a Prometheus text exposition declares (`# TYPE`), histograms with their three series. */
function exposedNames (exposition: string): Set<string> {
  const names = new Set<string>()
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const suffixes = type === 'histogram' ? ['_bucket', '_count', '_sum'] : type === 'summary' ? ['', '_count', '_sum'] : ['']
    for (const suffix of suffixes) names.add(`${name}${suffix}`)
  }
  return names
}

const recorded = new Set(rules.flatMap(rule => rule.record ?? []))
const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Array<{ title: string, targets?: Array<{ expr: string }> }> }
const references = [
  ...rules.map(rule => ({ where: `rule ${rule.record ?? rule.alert}`, expr: rule.expr })),
  ...dashboard.panels.flatMap(panel => (panel.targets ?? []).map(target => ({ where: `panel “${panel.title}”`, expr: target.expr })))
]

t.test('every series the rules and the dashboard read is one a running server exposes on /metrics', async t => {
  const { url } = await testDatabase(t)
  const port = await freePort()
  const server = await startServer({ MONGODB_URL: url, PORT: String(port), LOG_LEVEL: 'info' })
  t.teardown(() => { server.child.kill('SIGTERM') })
  const base = `http://127.0.0.1:${port}`
  const songs = await (await fetch(`${base}/songs?limit=2`)).json() as { items: Array<{ id: string }> }
  const songId = songs.items[0]!.id
  await fetch(`${base}/songs/search?message=alabama`)
  await fetch(`${base}/songs/avg/difficulty?level=13`)
  await fetch(`${base}/songs/rating`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ song_id: songId, rating: 4 }) })
  await fetch(`${base}/songs/avg/rating/${songId}`)
  await fetch(`${base}/songs?limit=0`)
  const exposition = await (await fetch(`${base}/metrics`)).text()
  const exposed = exposedNames(exposition)

  t.ok(exposed.has('http_request_duration_seconds_bucket'), 'request histogram exposed')
  t.notOk(exposed.has('http_requests_total'), 'a name the app does not expose is told apart')
  t.match(exposition, /http_request_duration_seconds_count\{method="POST",route="\/songs\/rating",status_code="201"\} 1/, 'the route labels the rules select on')
  t.ok(references.length >= 30, `${references.length} expressions checked`)
  for (const { where, expr } of references) {
    const names = seriesNames(expr)
    for (const name of names) {
      if (name.includes(':')) t.ok(recorded.has(name), `${where}: ${name} is a recording rule`)
      else t.ok(exposed.has(name), `${where}: ${name} is exposed`)
    }
  }
})

t.test('the expression reader finds series names and nothing else', async t => {
  t.same(seriesNames('histogram_quantile(0.99, sum by (method, route, le) (rate(http_request_duration_seconds_bucket{route="/songs", le!="x"}[5m])))'), ['http_request_duration_seconds_bucket'])
  t.same(seriesNames('job:a:ratio_rate1h > (14.4 * 0.001) and max by (task) (nodejs_eventloop_lag_p99_seconds) > 0.2'), ['job:a:ratio_rate1h', 'nodejs_eventloop_lag_p99_seconds'])
})
