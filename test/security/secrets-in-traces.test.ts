import t from 'tap'
import { accountJourney } from '../account-journey.ts'
import { testDatabase } from '../helper.ts'
import { jaeger, jaegerProgram, tagsOf, type JaegerTrace } from '../jaeger.ts'
import { redisProgram, redisServer } from '../redis-server.ts'
import { freePort, startServer } from '../run-script.ts'

const JWT_SECRET = 'trace-test-secret-that-is-long-enough-0123456789'
const SERVICE = 'songs-api-secrets'

const serverSpans = (traces: JaegerTrace[]) => traces.flatMap(trace => trace.spans).filter(span => tagsOf(span)['span.kind'] === 'server')

t.test('no exported span, attribute, event or resource holds a password, hash, token, Authorization header or JWT_SECRET', { skip: jaegerProgram.skip || redisProgram.skip }, async t => {
  const receiver = await jaeger(t)
  const redis = await redisServer(t)
  const { url, collections } = await testDatabase(t)
  const port = await freePort()
  const server = await startServer({
    MONGODB_URL: url,
    REDIS_URL: redis.url,
    PORT: String(port),
    JWT_SECRET,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.otlpEndpoint,
    OTEL_SERVICE_NAME: SERVICE,
    OTEL_BSP_SCHEDULE_DELAY: '100'
  })
  t.teardown(() => server.child.kill('SIGKILL'))
  const { secrets, requests } = await accountJourney(t, `http://127.0.0.1:${port}`, collections, JWT_SECRET)

  const traces = await receiver.traces(SERVICE, traces => serverSpans(traces).length >= requests)
  const spans = traces.flatMap(trace => trace.spans)
  t.equal(serverSpans(traces).length, requests, 'every request of the journey was traced')
  t.ok(spans.some(span => tagsOf(span)['db.system.name'] === 'mongodb') && spans.some(span => tagsOf(span)['db.system.name'] === 'redis'), 'with its MongoDB and Redis spans')
  // Everything Jaeger stored, as it answers it: names, attributes, events, resources.
  const exported = JSON.stringify(traces)
  for (const [name, secret] of Object.entries(secrets)) t.notOk(exported.includes(secret), `no ${name} in any span`)
  t.notOk(spans.some(span => span.tags.some(tag => /authorization|cookie/i.test(tag.key))), 'no Authorization or Cookie header attribute')
  t.notMatch(exported, /Bearer\s+ey/i, 'no bearer credential anywhere')
})
