import { METHODS } from 'node:http'
import t from 'tap'
import { signUp } from '../../accounts.ts'
import { buildTestApp, json } from '../../helper.ts'
import { committedSpec } from '../../openapi/spec.ts'
import { firstSongId, rateSong } from '../../rate-song.ts'
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

/** Headers that differ between any two requests: when the answer was made, its id, the rate limit's countdown. */
const PER_REQUEST = ['date', 'x-request-id', 'x-ratelimit-remaining', 'x-ratelimit-reset']
// Bodies that change on every request (a measured database time, request counters), and so their length and ETag.
const CHANGES_EVERY_TIME = new Set(['/ready', '/metrics'])

function answerOf (response: { statusCode: number, headers: Record<string, unknown> }, varying = PER_REQUEST) {
  return { status: response.statusCode, headers: Object.fromEntries(Object.entries(response.headers).filter(([name]) => !varying.includes(name))) }
}

t.test('a trailing slash on any path is a 308 to the path without it, query kept; GET and HEAD always agree', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const songId = await firstSongId(app)
  t.equal((await rateSong(app, songId, 4, user.authorization)).statusCode, 201)
  // Every path of the committed document with real ids, Swagger UI's own paths and the documents beside them.
  const documented = Object.keys((await committedSpec).paths ?? {}).map(path => path.replaceAll('{song_id}', songId).replaceAll('{user_id}', user.id))
  const undocumented = ['/docs', '/docs/json', '/docs/yaml', '/docs/static/index.html', '/docs/static/swagger-ui.css', '/openapi.json', '/metrics']
  for (const path of [...documented, ...undocumented, '/songs?limit=2']) {
    const withSlash = path.replace(/(\?|$)/, '/$1')
    const varying = CHANGES_EVERY_TIME.has(path) ? [...PER_REQUEST, 'content-length', 'etag'] : PER_REQUEST
    const [get, head, getSlash, headSlash] = await Promise.all([path, withSlash].flatMap(url =>
      (['GET', 'HEAD'] as const).map(method => app.inject({ method, url, headers: user.authorization }))))
    t.not(get!.statusCode, 404, `GET ${path} is known`)
    // A streamed answer (the export) is framed chunked; a HEAD has no body to frame (RFC 9110 §9.3.2 lets it leave that out).
    t.same(answerOf(head!, varying), answerOf(get!, [...varying, 'transfer-encoding']), `HEAD ${path} answers as GET does`)
    // A path served only with other methods (POST /auth/token) keeps its 405: following a redirect could not help.
    if (get!.statusCode === 405) t.same({ ...answerOf(getSlash!), body: getSlash!.body }, { ...answerOf(get!), body: get!.body }, `GET ${withSlash} answers as GET ${path} does`)
    else t.same({ status: getSlash!.statusCode, location: getSlash!.headers.location, body: getSlash!.body }, { status: 308, location: path, body: '' }, `GET ${withSlash} is a 308 to ${path}`)
    t.same(answerOf(headSlash!), answerOf(getSlash!), `HEAD ${withSlash} answers as GET does`)
  }
})

t.test('a trailing slash keeps what the path without it answers to other methods, and an unknown path stays a 404', async t => {
  const app = await buildTestApp(t)
  const rated = await app.inject({ method: 'POST', url: '/songs/rating/', payload: { song_id: await firstSongId(app), rating: 4 } })
  t.same({ status: rated.statusCode, location: rated.headers.location }, { status: 308, location: '/songs/rating' }, 'a POST is redirected too: a 308 keeps its method and body')
  const traced = await app.inject({ method: 'TRACE', url: '/songs//' })
  t.match({ status: traced.statusCode, allow: traced.headers.allow, location: traced.headers.location }, { status: 405, allow: 'GET, HEAD, POST', location: undefined }, 'a wrong method is the 405 of the path without the slashes')
  // `/songs/avg/rating/` would be a song with an empty id; `//evil.example/` would be an address on another host.
  for (const path of ['/nope/', '/songs/avg/rating/', '/docs/static/', '//evil.example/', '/docs/static/no-such-file.css']) {
    for (const method of ['GET', 'HEAD'] as const) {
      const response = await app.inject({ method, url: path })
      t.match({ status: response.statusCode, location: response.headers.location, type: response.headers['content-type'] }, { status: 404, location: undefined, type: /^application\/problem\+json/ }, `${method} ${path}`)
    }
  }
})
