import t from 'tap'
import { accountJourney } from '../account-journey.ts'
import { tagsOf, type JaegerTrace } from '../jaeger.ts'
import { tracedServer, tracedServerSkip } from '../traced-server.ts'

const JWT_SECRET = 'trace-test-secret-that-is-long-enough-0123456789'
const SERVICE = 'songs-api-secrets'

const serverSpans = (traces: JaegerTrace[]) => traces.flatMap(trace => trace.spans).filter(span => tagsOf(span)['span.kind'] === 'server')

t.test('no exported span, attribute, event or resource holds a password, hash, token, Authorization header or JWT_SECRET', { skip: tracedServerSkip }, async t => {
  const { receiver, database, base } = await tracedServer(t, { JWT_SECRET, OTEL_SERVICE_NAME: SERVICE })
  const { secrets, requests } = await accountJourney(t, base, database.collections, JWT_SECRET)

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
