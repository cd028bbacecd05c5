import t from 'tap'
import { buildTestApp, json } from '../../helper.ts'

const PROBLEM = 'application/problem+json; charset=utf-8'

t.test('unknown routes and wrong methods are problems', async t => {
  const app = await buildTestApp(t)
  const missing = await app.inject('/nothing/here')
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['content-type'], PROBLEM)
  t.same(json(missing), { type: 'urn:songs-api:problem:not-found', title: 'Not Found', status: 404, detail: 'No route answers GET at this path.', code: 'NOT_FOUND' })

  const wrongMethod = await app.inject({ method: 'DELETE', url: '/songs' })
  t.equal(wrongMethod.statusCode, 405)
  t.equal(wrongMethod.headers.allow, 'GET, HEAD, POST')
  t.match(json(wrongMethod), { status: 405, code: 'METHOD_NOT_ALLOWED' })

  const getRating = await app.inject('/songs/rating')
  t.equal(getRating.statusCode, 405)
  t.equal(getRating.headers.allow, 'POST')
})

t.test('a malformed URL is a 400 problem', async t => {
  const app = await buildTestApp(t)
  const response = await app.inject('/songs/avg/rating/%E0%A4%A')
  t.equal(response.statusCode, 400)
  t.equal(response.headers['content-type'], PROBLEM)
  t.match(json(response), { status: 400, code: 'MALFORMED_URL' })
})

t.test('an oversized body is a 413 problem', async t => {
  const app = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/songs/rating', payload: JSON.stringify({ song_id: 'x'.repeat(64 * 1024), rating: 1 }), headers: { 'content-type': 'application/json' } })
  t.equal(response.statusCode, 413)
  t.match(json(response), { status: 413, code: 'PAYLOAD_TOO_LARGE' })
})

t.test('past the rate limit a client gets a 429 problem with Retry-After', async t => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' })
  const statuses = []
  for (let i = 0; i < 4; i++) statuses.push((await app.inject('/songs/avg/difficulty')).statusCode)
  t.same(statuses, [200, 200, 200, 429])
  const limited = await app.inject('/songs/avg/difficulty')
  t.equal(limited.headers['content-type'], PROBLEM)
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After is set')
  t.match(json(limited), { status: 429, code: 'RATE_LIMITED' })
  const otherClient = await app.inject({ url: '/songs/avg/difficulty', remoteAddress: '10.0.0.2' })
  t.equal(otherClient.statusCode, 200, 'the limit is per client IP')
})

t.test('unexpected failures are 500 problems that leak nothing', async t => {
  const app = await buildTestApp(t)
  app.get('/boom', async () => { throw new Error('secret connection string mongodb://admin:hunter2@db') })
  const boom = await app.inject('/boom')
  t.equal(boom.statusCode, 500)
  t.equal(boom.headers['content-type'], PROBLEM)
  t.match(json(boom), { status: 500, code: 'INTERNAL_ERROR' })
  t.notMatch(boom.body, /secret|hunter2|stack|at /, 'no message or stack trace leaks')
})
