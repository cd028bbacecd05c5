import t from 'tap'
import { buildApp } from '../../../src/app.ts'
import { buildTestApp, testConfig, testDatabase } from '../../helper.ts'
import { logLines } from '../../log-lines.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('an incoming x-request-id is kept and echoed; without one, each request gets a fresh UUID', async t => {
  const app = await buildTestApp(t)
  const given = await app.inject({ url: '/songs?limit=1', headers: { 'x-request-id': 'lb-Root=1-67891233.abc:42_x' } })
  t.equal(given.headers['x-request-id'], 'lb-Root=1-67891233.abc:42_x')
  const plain = await app.inject({ url: '/songs?limit=1', headers: { 'x-request-id': 'trace.0af7651916cd43dd:8448eb211c80319c' } })
  t.equal(plain.headers['x-request-id'], 'trace.0af7651916cd43dd:8448eb211c80319c')

  const first = await app.inject('/songs?limit=1')
  const second = await app.inject('/songs?limit=1')
  t.match(first.headers['x-request-id'], UUID)
  t.match(second.headers['x-request-id'], UUID)
  t.not(first.headers['x-request-id'], second.headers['x-request-id'])

  const problem = await app.inject({ url: '/nothing', headers: { 'x-request-id': 'client-7' } })
  t.equal(problem.statusCode, 404)
  t.equal(problem.headers['x-request-id'], 'client-7', 'error answers carry the id too')
  const malformed = await app.inject({ url: '/songs/avg/rating/%E0%A4%A', headers: { 'x-request-id': 'client-8' } })
  t.equal(malformed.statusCode, 400)
  t.equal(malformed.headers['x-request-id'], 'client-8', 'even those Fastify answers before any hook runs')
})

t.test('an incoming id that could smuggle junk into the logs is replaced, not trusted', async t => {
  const app = await buildTestApp(t)
  for (const junk of ['two words', '{"level":60}', 'a'.repeat(129), 'tab\there', 'ümlaut', '']) {
    const response = await app.inject({ url: '/health', headers: { 'x-request-id': junk } })
    t.match(response.headers['x-request-id'], UUID, JSON.stringify(junk.slice(0, 20)))
  }
})

t.test('every log line of a request is JSON carrying its id', async t => {
  const { url } = await testDatabase(t)
  const { stream, lines } = logLines()
  const app = await buildApp(testConfig({ MONGODB_URL: url, LOG_LEVEL: 'info' }), { logger: { level: 'info', stream } })
  t.teardown(() => app.close())

  await app.inject({ url: '/songs/avg/rating/0123456789abcdef01234567', headers: { 'x-request-id': 'support-ticket-1234' } })
  const ofRequest = lines.filter(line => line.reqId === 'support-ticket-1234')
  t.same(ofRequest.map(line => line.msg), ['incoming request', 'request rejected', 'request completed'])
  t.match(ofRequest[1], { code: 'SONG_NOT_FOUND' })
  t.match(ofRequest[2], { res: { statusCode: 404 } })
  const untagged = lines.filter(line => line.req !== undefined && line.reqId === undefined)
  t.same(untagged, [], 'no request line without an id')
})
