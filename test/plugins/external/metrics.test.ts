import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildTestApp, json } from '../../helper.ts'

/** The value of one series in a Prometheus text exposition, or undefined when it is absent. */
function sample (exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find(l => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

t.test('GET /metrics exposes request counts and durations by route and status, in the Prometheus format', async t => {
  const app = await buildTestApp(t)
  await app.inject('/songs?limit=2')
  await app.inject('/songs?limit=2')
  await app.inject('/songs/avg/rating/0123456789abcdef01234567')
  await app.inject('/songs?limit=0')

  const response = await app.inject('/metrics')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const text = response.body
  t.equal(sample(text, 'http_request_duration_seconds_count{method="GET",route="/songs",status_code="200"}'), 2)
  t.equal(sample(text, 'http_request_duration_seconds_count{method="GET",route="/songs",status_code="400"}'), 1)
  t.equal(sample(text, 'http_request_duration_seconds_count{method="GET",route="/songs/avg/rating/:song_id",status_code="404"}'), 1)
  t.equal(sample(text, 'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/songs",status_code="200"}'), 2)
  t.ok(text.includes('http_request_duration_seconds_bucket{le="0.025",'), 'buckets fine enough for a p99 objective')
  t.notOk(text.includes('route="/metrics"'), 'scrapes are not counted as traffic')
})

t.test('GET /metrics exposes event-loop lag and the MongoDB pool and commands', async t => {
  const app = await buildTestApp(t)
  await app.inject('/songs?limit=2')
  await app.mongo.db!.command({ thisIsNotACommand: 1 }).catch(() => undefined)
  const text = (await app.inject('/metrics')).body
  t.ok(sample(text, 'nodejs_eventloop_lag_p99_seconds')! >= 0, 'event-loop lag')
  t.ok(sample(text, 'mongodb_pool_connections')! >= 1, 'open pool connections')
  // The app's own background work (the journal's recovery pass, the account-deletion poll) may hold a connection
  // for a moment, the longer the busier the machine; once it is done none is in use: a leak would never get there.
  let checkedOut = sample(text, 'mongodb_pool_connections_checked_out')
  for (const giveUp = Date.now() + 20_000; checkedOut !== 0 && Date.now() < giveUp; await sleep(100)) {
    checkedOut = sample((await app.inject('/metrics')).body, 'mongodb_pool_connections_checked_out')
  }
  t.equal(checkedOut, 0, 'none in use between requests')
  t.ok(sample(text, 'mongodb_command_duration_seconds_count{command="find"}')! >= 1, 'find commands timed')
  t.equal(sample(text, 'mongodb_command_failures_total{command="thisIsNotACommand"}'), 1, 'failed commands counted')
})

t.test('/metrics is left out of the OpenAPI document and is not rate limited', async t => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '1' })
  const spec = json(await app.inject('/openapi.json'))
  t.notOk('/metrics' in spec.paths)
  for (let scrape = 0; scrape < 3; scrape++) t.equal((await app.inject('/metrics')).statusCode, 200)
})
