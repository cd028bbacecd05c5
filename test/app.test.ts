import t from 'tap'
import { buildApp } from '../src/app.ts'
import { json, testConfig, testDatabaseBehindProxy } from './helper.ts'

// Each reply of the database held this long: the start's few dozen commands (indexes, search terms, the seed) then
// take well over Fastify's default 10 s plugin timeout, as on a large catalog or a busy database.
const LATENCY_MS = 600

t.test('a start slower than 10 s, each command within its timeout, is a start, not "Plugin did not start in time"', async t => {
  const { url, proxy } = await testDatabaseBehindProxy(t)
  proxy.setLatency(LATENCY_MS)
  const started = Date.now()
  const app = await buildApp(testConfig({ MONGODB_URL: url, MONGODB_TIMEOUT_MS: '10000' }))
  t.teardown(() => app.close())
  await app.ready()
  const seconds = (Date.now() - started) / 1000
  t.ok(seconds > 10, `the start took ${seconds.toFixed(1)} s`)
  proxy.setLatency(0)
  const songs = await app.inject('/songs?limit=1')
  t.equal(songs.statusCode, 200)
  t.equal(json(songs).items.length, 1, 'the seeded catalog answers')
})
