import { METHODS } from 'node:http'
import t from 'tap'
import { buildTestApp, json } from '../../helper.ts'
import { httpRequest, rawRequest } from '../../raw-http.ts'

// Every method Node knows, and tokens its parser refuses (case matters in HTTP: `get` is not GET).
const UNPARSED = ['get', 'Post', 'FOO', 'X-CUSTOM', 'BREW']
const PATHS: [path: string, allow: string][] = [
  ['/songs', 'GET, HEAD, POST'],
  ['/songs/0123456789abcdef01234567', 'DELETE, GET, HEAD, PATCH'],
  ['/users/me/ratings/0123456789abcdef01234567', 'DELETE, GET, HEAD'],
  ['/auth/token', 'POST'],
  // Fixed paths beside /songs/:song_id are theirs alone: PATCH /songs/search is a wrong method, not a song "search".
  ['/songs/search?message=sun', 'GET, HEAD'],
  ['/songs/avg/difficulty', 'GET, HEAD'],
  ['/songs/avg/rating/0123456789abcdef01234567', 'GET, HEAD'],
  ['/songs/rating', 'POST'],
  ['/health', 'GET, HEAD']
]

t.test('every method a path does not serve, any token, is a 405 problem with Allow; never 400, 404 or 501', async t => {
  const app = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  for (const [path, allow] of PATHS) {
    const served = new Set(allow.split(', '))
    for (const method of [...METHODS, ...UNPARSED].filter(method => !served.has(method))) {
      // A body and a content type the route would refuse: the method is what is wrong, so it is what is reported.
      const response = await rawRequest(port, httpRequest(method, path, { 'content-type': 'text/plain' }, 'x'))
      // HEAD answers carry no body.
      const body = method === 'HEAD' ? undefined : json(response)
      t.match({ status: response.status, allow: response.headers.allow, type: response.headers['content-type'], body }, {
        status: 405,
        allow,
        type: /^application\/problem\+json/,
        body: method === 'HEAD' ? undefined : { status: 405, code: 'METHOD_NOT_ALLOWED', detail: `${method} is not allowed here; use ${allow}.` }
      }, `${method} ${path}`)
    }
  }
})

t.test('any method on a path no route serves is a 404 problem', async t => {
  const app = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  for (const method of ['GET', 'POST', 'TRACE', 'QUERY', 'PROPFIND', 'OPTIONS', 'CONNECT', 'get', 'FOO']) {
    const response = await rawRequest(port, httpRequest(method, '/no/such/path'))
    t.match({ status: response.status, allow: response.headers.allow, body: json(response) }, { status: 404, allow: undefined, body: { status: 404, code: 'NOT_FOUND' } }, method)
  }
})

t.test('wrong methods are rate limited like every route', async t => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '2' })
  const statuses = []
  for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: 'TRACE', url: '/songs' })).statusCode)
  t.same(statuses, [405, 405, 429])
})
