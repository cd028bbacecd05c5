import t from 'tap'
import { signUp } from '../accounts.ts'
import { snapshot } from '../catalog-state.ts'
import { buildTestApp, json } from '../helper.ts'
import { rateSong } from '../rate-song.ts'
import { httpRequest, rawRequest } from '../raw-http.ts'

const UNKNOWN_ID = '0123456789abcdef01234567'
const LONG = 'x'.repeat(10_000)
const JSON_TYPE = { 'content-type': 'application/json' }
const EVERY_COLLECTION = ['songs', 'ratings', 'levelStats', 'idempotencyKeys', 'users', 'refreshTokens', 'userRatings'] as const

type Case = [label: string, request: Buffer | string]

const get = (target: string | Buffer, headers?: Record<string, string>) => httpRequest('GET', target, headers)
const post = (body: string | Buffer, headers: Record<string, string> = JSON_TYPE) => httpRequest('POST', '/songs/rating', headers, body)
const rating = (fields: object) => post(JSON.stringify(fields))
const account = (path: string, body: string | object, headers: Record<string, string> = JSON_TYPE) => httpRequest('POST', path, headers, typeof body === 'string' ? body : JSON.stringify(body))
const bearer = (target: string, authorization: string) => get(target, { authorization })
const ALG_NONE = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"0123456789abcdef01234567","roles":["admin"]}').toString('base64url')}.`
const nested = (depth: number) => `{"song_id":"${UNKNOWN_ID}","rating":1,"x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`

function hostileRequests (songId: string): Case[] {
  return [
    // Operator injection, arrays and repeated parameters in query strings and paths
    ['message[$ne]', get('/songs/search?message[$ne]=x')],
    ['message[$regex]', get('/songs/search?message[$regex]=.*')],
    ['message repeated', get('/songs/search?message=a&message=b')],
    ['limit[$gt]', get('/songs?limit[$gt]=1')],
    ['limit repeated', get('/songs?limit=1&limit=2')],
    ['cursor[$ne]', get('/songs?cursor[$ne]=x')],
    ['level[$gt]', get('/songs/avg/difficulty?level[$gt]=0')],
    ['level repeated', get('/songs/avg/difficulty?level=1&level=2')],
    ['song id $gt', get('/songs/avg/rating/$gt')],
    ['song id JSON operator', get('/songs/avg/rating/%7B%22%24gt%22%3A%22%22%7D')],
    ['unknown parameter', get('/songs?where=1')],
    ['__proto__ parameter', get('/songs?__proto__[admin]=1')],
    ['constructor.prototype parameter', get('/songs/search?message=a&constructor[prototype][admin]=1')],
    // Numbers: huge, negative, fractional, exponent, non-numeric
    ['limit -1', get('/songs?limit=-1')],
    ['limit 0', get('/songs?limit=0')],
    ['limit 1.5', get('/songs?limit=1.5')],
    ['limit 1e2', get('/songs?limit=1e2')],
    ['limit 1e400', get('/songs?limit=1e400')],
    ['limit huge', get('/songs?limit=99999999999999999999999999')],
    ['limit NaN', get('/songs?limit=NaN')],
    ['limit Infinity', get('/songs?limit=Infinity')],
    ['limit hex', get('/songs?limit=0x10')],
    ['limit empty', get('/songs?limit=')],
    ['limit text', get('/songs?limit=ten')],
    ['level -1', get('/songs/avg/difficulty?level=-1')],
    ['level 2.5', get('/songs/avg/difficulty?level=2.5')],
    ['level 1e400', get('/songs/avg/difficulty?level=1e400')],
    ['level 2^53+1', get('/songs/avg/difficulty?level=9007199254740993')],
    ['level true', get('/songs/avg/difficulty?level=true')],
    // Strings: long, NUL, bad encodings, emoji, combining marks, markup, regex
    ['message 10k', get(`/songs/search?message=${LONG}`)],
    ['cursor 10k', get(`/songs?cursor=${LONG}`)],
    ['song id 10k', get(`/songs/avg/rating/${LONG}`)],
    ['cursor not base64', get('/songs?cursor=!!!!!!!!!!!!!!!!')],
    ['cursor short', get('/songs?cursor=abc')],
    ['message NUL', get('/songs/search?message=%00')],
    ['message with NUL', get('/songs/search?message=a%00b')],
    ['song id NUL', get('/songs/avg/rating/%00')],
    ['invalid percent-encoding in query', get('/songs/search?message=%E0%A4%A')],
    ['invalid percent-encoding in path', get('/songs/avg/rating/%ZZ')],
    ['invalid UTF-8 in query', get('/songs/search?message=%FF%FE')],
    ['overlong UTF-8 in query', get('/songs/search?message=%C0%AF')],
    ['raw invalid UTF-8 bytes in target', get(Buffer.from([0x2f, 0x73, 0x6f, 0x6e, 0x67, 0x73, 0x3f, 0x78, 0x3d, 0xff, 0xfe]))],
    ['emoji only', get('/songs/search?message=%F0%9F%8E%B8%F0%9F%8E%B8')],
    ['emoji and a word', get('/songs/search?message=%F0%9F%8E%B8alabama')],
    ['combining marks', get('/songs/search?message=e%CC%81%CC%81%CC%81%CC%81')],
    ['zalgo', get(`/songs/search?message=a${'%CC%81'.repeat(200)}`)],
    ['markup in message', get('/songs/search?message=%3Cscript%3Ealert(1)%3C%2Fscript%3E')],
    ['markup in song id', get('/songs/avg/rating/%3Cscript%3Ealert(1)%3C%2Fscript%3E')],
    ['markup in path', get('/songs/%3Cscript%3E')],
    ['catastrophic regex', get('/songs/search?message=(a%2B)%2B%24')],
    ['regex wildcard', get('/songs/search?message=.*')],
    ['no message', get('/songs/search')],
    ['empty message', get('/songs/search?message=')],
    ['short song id', get('/songs/avg/rating/0123456789abcdef0123456')],
    ['upper-case song id', get(`/songs/avg/rating/${UNKNOWN_ID.toUpperCase()}`)],
    ['unknown song id', get(`/songs/avg/rating/${UNKNOWN_ID}`)],
    ['__proto__ as song id', get('/songs/avg/rating/__proto__')],
    ['path traversal', get('/songs/../../etc/passwd')],
    ['double slash', get('//songs')],
    // Bodies: injection, wrong types, prototype pollution, nesting, size, content types
    ['body song_id $gt', rating({ song_id: { $gt: '' }, rating: 5 })],
    ['body song_id $where', rating({ song_id: { $where: 'sleep(1000)' }, rating: 5 })],
    ['body rating $inc', rating({ song_id: songId, rating: { $inc: 100 } })],
    ['body song_id array', rating({ song_id: [songId], rating: 5 })],
    ['body rating array', rating({ song_id: songId, rating: [5] })],
    ['body rating string', rating({ song_id: songId, rating: '5' })],
    ['body rating -1', rating({ song_id: songId, rating: -1 })],
    ['body rating 4.5', rating({ song_id: songId, rating: 4.5 })],
    ['body rating 1e400', post(`{"song_id":"${songId}","rating":1e400}`)],
    ['body rating huge', post(`{"song_id":"${songId}","rating":123456789012345678901234567890}`)],
    ['body rating exponent (valid, unknown song)', post(`{"song_id":"${UNKNOWN_ID}","rating":5e0}`)],
    ['body rating null', rating({ song_id: songId, rating: null })],
    ['body rating true', rating({ song_id: songId, rating: true })],
    ['body song_id 10k', rating({ song_id: LONG, rating: 3 })],
    ['body song_id NUL', post(`{"song_id":"${songId.slice(0, 23)}\\u0000","rating":3}`)],
    ['body raw NUL byte', post(Buffer.concat([Buffer.from(`{"song_id":"${songId}`), Buffer.from([0]), Buffer.from('","rating":3}')]))],
    ['body invalid UTF-8', post(Buffer.concat([Buffer.from('{"song_id":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('","rating":3}')]))],
    ['body emoji song id', rating({ song_id: '🎸'.repeat(12), rating: 3 })],
    ['body __proto__', post(`{"__proto__":{"admin":true},"song_id":"${songId}","rating":3}`)],
    ['body constructor.prototype', post(`{"constructor":{"prototype":{"admin":true}},"song_id":"${songId}","rating":3}`)],
    ['body duplicate keys (valid, unknown song)', post(`{"song_id":"${UNKNOWN_ID}","rating":9,"rating":1}`)],
    ['body nested 2500 deep', post(nested(2500))],
    ['body nested over the limit', post(nested(20_000))],
    ['body 2 MB', post(`{"song_id":"${songId}","rating":3,"x":"${'y'.repeat(2 * 1024 * 1024)}"}`)],
    ['body array', post(`[{"song_id":"${songId}","rating":3}]`)],
    ['body null', post('null')],
    ['body number', post('5')],
    ['body string', post('"rate"')],
    ['body truncated JSON', post(`{"song_id":"${songId}",`)],
    ['body empty', post('')],
    ['body text/plain', post(JSON.stringify({ song_id: songId, rating: 3 }), { 'content-type': 'text/plain' })],
    ['body form-encoded', post(`song_id=${songId}&rating=3`, { 'content-type': 'application/x-www-form-urlencoded' })],
    ['body XML', post('<rating/>', { 'content-type': 'application/xml' })],
    ['body no content type', post(JSON.stringify({ song_id: songId, rating: 3 }), {})],
    ['body bad charset (valid, unknown song)', post(JSON.stringify({ song_id: UNKNOWN_ID, rating: 3 }), { 'content-type': 'application/json; charset=utf-16' })],
    ['idempotency key 10k', post(JSON.stringify({ song_id: songId, rating: 3 }), { ...JSON_TYPE, 'idempotency-key': LONG })],
    ['idempotency key with spaces', post(JSON.stringify({ song_id: songId, rating: 3 }), { ...JSON_TYPE, 'idempotency-key': 'a b' })],
    // Accounts: sign-up, sign-in and token bodies (none of these creates an account or a token)
    ['sign-up username $ne', account('/users', { username: { $ne: null }, password: 'long enough password' })],
    ['sign-up username $regex', account('/users', { username: { $regex: '.*' }, password: 'long enough password' })],
    ['sign-up username array', account('/users', { username: ['alice'], password: 'long enough password' })],
    ['sign-up username NUL', account('/users', { username: 'alice\u0000', password: 'long enough password' })],
    ['sign-up username homoglyph', account('/users', { username: 'ａdmin', password: 'long enough password' })],
    ['sign-up username combining mark', account('/users', { username: 'admin\u0301', password: 'long enough password' })],
    ['sign-up username 10k', account('/users', { username: LONG, password: 'long enough password' })],
    ['sign-up username markup', account('/users', { username: '<script>alert(1)</script>', password: 'long enough password' })],
    ['sign-up password 129 characters', account('/users', { username: 'hostile', password: 'p'.repeat(129) })],
    ['sign-up password 129 emoji', account('/users', { username: 'hostile', password: '🎸'.repeat(129) })],
    ['sign-up password 10k', account('/users', { username: 'hostile', password: LONG })],
    ['sign-up password 2 MB', account('/users', { username: 'hostile', password: 'p'.repeat(2 * 1024 * 1024) })],
    ['sign-up password $ne', account('/users', { username: 'hostile', password: { $ne: null } })],
    ['sign-up password number', account('/users', { username: 'hostile', password: 123456789012345 })],
    ['sign-up with roles', account('/users', { username: 'hostile', password: 'long enough password', roles: ['admin'] })],
    ['sign-up __proto__', account('/users', '{"__proto__":{"roles":["admin"]},"username":"hostile","password":"long enough password"}')],
    ['sign-in username $gt', account('/auth/token', { username: { $gt: '' }, password: 'long enough password' })],
    ['sign-in password $ne', account('/auth/token', { username: 'nobody', password: { $ne: null } })],
    ['sign-in unknown user (valid)', account('/auth/token', { username: 'nobody', password: 'long enough password' })],
    ['sign-in password 10k', account('/auth/token', { username: 'nobody', password: LONG })],
    ['sign-in form-encoded', account('/auth/token', 'username=nobody&password=long+enough+password', { 'content-type': 'application/x-www-form-urlencoded' })],
    ['refresh token $ne', account('/auth/refresh', { refresh_token: { $ne: null } })],
    ['refresh token JSON text', account('/auth/refresh', { refresh_token: '{"$ne":null}' })],
    ['refresh token 10k', account('/auth/refresh', { refresh_token: LONG })],
    ['refresh token NUL', account('/auth/refresh', { refresh_token: 'abc\u0000' })],
    ['refresh token unknown (valid)', account('/auth/refresh', { refresh_token: 'A'.repeat(43) })],
    ['logout token array', account('/auth/logout', { refresh_token: ['x'] })],
    ['logout unknown token (valid)', account('/auth/logout', { refresh_token: 'A'.repeat(43) })],
    // Accounts: Authorization headers
    ['bearer alg none', bearer('/users/me', `Bearer ${ALG_NONE}`)],
    ['bearer JSON', bearer('/users/me', 'Bearer {"alg":"none","sub":"x"}')],
    ['bearer JSON parts', bearer('/users/me', `Bearer ${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"sub":{"$ne":null}}').toString('base64url')}.sig`)],
    ['bearer empty', bearer('/users/me', 'Bearer ')],
    ['bearer 10k', bearer('/users/me', `Bearer ${LONG}.${LONG}.x`)],
    ['bearer markup', bearer('/users/me', 'Bearer <script>alert(1)</script>')],
    ['Basic credentials', bearer('/users/me', 'Basic YWRtaW46YWRtaW4=')],
    ['oversized Authorization header', bearer('/users/me', `Bearer ${'a'.repeat(20_000)}`)],
    ['bad token on a public route (valid: ignored)', bearer('/songs?limit=1', `Bearer ${ALG_NONE}`)],
    ['bad token on a rating', post(JSON.stringify({ song_id: songId, rating: 3 }), { ...JSON_TYPE, authorization: `Bearer ${ALG_NONE}` })],
    ['GET /users', get('/users')],
    ['DELETE /users/me', httpRequest('DELETE', '/users/me')],
    // Methods
    ['DELETE /songs', httpRequest('DELETE', '/songs')],
    ['PUT /songs/rating', httpRequest('PUT', '/songs/rating', JSON_TYPE, '{}')],
    ['PATCH /songs/avg/difficulty', httpRequest('PATCH', '/songs/avg/difficulty', JSON_TYPE, '{}')],
    ['GET /songs/rating', get('/songs/rating')],
    ['POST /songs', httpRequest('POST', '/songs', JSON_TYPE, '{}')],
    ['TRACE /songs', httpRequest('TRACE', '/songs')],
    ['PROPFIND /songs', httpRequest('PROPFIND', '/songs')],
    ['QUERY /songs with a body', httpRequest('QUERY', '/songs', JSON_TYPE, '{"limit":1}')],
    ['TRACE /songs/rating', httpRequest('TRACE', '/songs/rating')],
    ['OPTIONS /songs', httpRequest('OPTIONS', '/songs')],
    ['CONNECT /songs', httpRequest('CONNECT', '/songs')],
    ['CONNECT to another host', httpRequest('CONNECT', 'example.com:443')],
    ['lower-case get', httpRequest('get', '/songs')],
    ['unknown method on an unknown path', httpRequest('BREW', '/coffee')],
    // Malformed HTTP that Node rejects before routing
    ['garbage request line', 'GARBAGE\r\n\r\n'],
    ['unknown method token', 'FOO /songs HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['bad HTTP version', 'GET /songs HTTP/9.9\r\nHost: x\r\n\r\n'],
    ['space in target', 'GET /songs list HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['header without colon', 'GET /songs HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n'],
    ['NUL in header value', 'GET /songs HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n'],
    ['oversized header', `GET /songs HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`],
    ['two content lengths', 'POST /songs/rating HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    ['bad content length', 'POST /songs/rating HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{}'],
    ['bad chunked body', 'POST /songs/rating HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n']
  ]
}

// Catalog: the admin routes with an admin's token (so bodies reach validation and the repository) and the
// caller's own ratings with a user's token.
function catalogHostileRequests (songId: string, otherSong: { artist: string, title: string }, admin: Record<string, string>, user: Record<string, string>): Case[] {
  const asAdmin = (method: string, target: string, body?: unknown) => body === undefined
    ? httpRequest(method, target, admin)
    : httpRequest(method, target, { ...JSON_TYPE, ...admin }, typeof body === 'string' ? body : JSON.stringify(body))
  const song = { artist: 'Hostile', title: 'Input', difficulty: 1, level: 1, released: '2020-01-01' }
  return [
    ['song id $gt', get('/songs/$gt')],
    ['song id JSON operator', get('/songs/%7B%22%24gt%22%3A%22%22%7D')],
    ['song id NUL', get('/songs/%00')],
    ['new song artist $gt', asAdmin('POST', '/songs', { ...song, artist: { $gt: '' } })],
    ['new song title array', asAdmin('POST', '/songs', { ...song, title: ['Input'] })],
    ['new song artist 10k', asAdmin('POST', '/songs', { ...song, artist: LONG })],
    ['new song difficulty 1e400', asAdmin('POST', '/songs', JSON.stringify(song).replace('"difficulty":1', '"difficulty":1e400'))],
    ['new song difficulty huge', asAdmin('POST', '/songs', { ...song, difficulty: 1e300 })],
    ['new song level string', asAdmin('POST', '/songs', { ...song, level: '1' })],
    ['new song released not a date', asAdmin('POST', '/songs', { ...song, released: 'yesterday' })],
    ['new song with search_prefixes', asAdmin('POST', '/songs', { ...song, search_prefixes: ['x'] })],
    ['new song with _id', asAdmin('POST', '/songs', { ...song, _id: songId })],
    ['new song __proto__', asAdmin('POST', '/songs', `{"__proto__":{"admin":true},${JSON.stringify(song).slice(1, -1)},"x":1}`)],
    ['new song empty', asAdmin('POST', '/songs', {})],
    ['new song array', asAdmin('POST', '/songs', [song])],
    ['new song that exists (409)', asAdmin('POST', '/songs', { ...song, ...otherSong })],
    ['patch empty', asAdmin('PATCH', `/songs/${songId}`, {})],
    ['patch $set', asAdmin('PATCH', `/songs/${songId}`, { $set: { level: 2 } })],
    ['patch level $inc', asAdmin('PATCH', `/songs/${songId}`, { level: { $inc: 1 } })],
    ['patch null title', asAdmin('PATCH', `/songs/${songId}`, { title: null })],
    ['patch to another song\'s name (409)', asAdmin('PATCH', `/songs/${songId}`, otherSong)],
    ['patch unknown song (404)', asAdmin('PATCH', `/songs/${UNKNOWN_ID}`, { level: 2 })],
    ['patch song id $gt', asAdmin('PATCH', '/songs/$gt', { level: 2 })],
    ['delete unknown song (404)', asAdmin('DELETE', `/songs/${UNKNOWN_ID}`)],
    ['delete song id NUL', asAdmin('DELETE', '/songs/%00')],
    ['delete song id 10k', asAdmin('DELETE', `/songs/${LONG}`)],
    ['my ratings cursor[$ne]', get('/users/me/ratings?cursor[$ne]=x', user)],
    ['my ratings limit 1e400', get('/users/me/ratings?limit=1e400', user)],
    ['my ratings user_id parameter', get(`/users/me/ratings?user_id=${UNKNOWN_ID}`, user)],
    ['my rating song id $gt', get('/users/me/ratings/$gt', user)],
    ['my rating of an unknown song (404)', get(`/users/me/ratings/${UNKNOWN_ID}`, user)],
    ['delete my rating, unknown song (404)', httpRequest('DELETE', `/users/me/ratings/${UNKNOWN_ID}`, user)],
    ['my ratings, JSON as the token', get('/users/me/ratings', { authorization: 'Bearer {"alg":"none","sub":"x"}' })],
    ['my ratings, 10k token', get('/users/me/ratings', { authorization: `Bearer ${LONG}` })],
    // The caller's password, with a user's token: refused before anything is written.
    ['password change current $ne', httpRequest('PUT', '/users/me/password', { ...JSON_TYPE, ...user }, JSON.stringify({ current_password: { $ne: null }, new_password: 'long enough password' }))],
    ['password change new array', httpRequest('PUT', '/users/me/password', { ...JSON_TYPE, ...user }, JSON.stringify({ current_password: 'long enough password', new_password: ['long enough password'] }))],
    ['password change new 2 MB', httpRequest('PUT', '/users/me/password', { ...JSON_TYPE, ...user }, JSON.stringify({ current_password: 'long enough password', new_password: 'p'.repeat(2 * 1024 * 1024) }))],
    ['password change __proto__', httpRequest('PUT', '/users/me/password', { ...JSON_TYPE, ...user }, '{"__proto__":{"roles":["admin"]},"current_password":"long enough password","new_password":"long enough password"}')],
    ['password change wrong current (valid: 401)', httpRequest('PUT', '/users/me/password', { ...JSON_TYPE, ...user }, JSON.stringify({ current_password: 'not the password', new_password: 'long enough password' }))],
    ['password change, JSON as the token', httpRequest('PUT', '/users/me/password', { ...JSON_TYPE, authorization: 'Bearer {"alg":"none","sub":"x"}' }, '{}')],
    ['sign-out everywhere, alg none token', httpRequest('POST', '/auth/logout-all', { authorization: `Bearer ${ALG_NONE}` })],
    ['sign-out everywhere, 10k token', httpRequest('POST', '/auth/logout-all', { authorization: `Bearer ${LONG}` })],
    ['PUT /songs/:song_id', httpRequest('PUT', `/songs/${songId}`, JSON_TYPE, '{}')],
    ['POST /users/me/ratings', httpRequest('POST', '/users/me/ratings', JSON_TYPE, '{}')]
  ]
}

t.test('hostile requests on every route get a 4xx problem (or a correct 2xx), never a 5xx, and change nothing', async t => {
  const app = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const [song, other] = json(await app.inject('/songs?limit=2')).items
  const songId: string = song.id
  const [admin, user] = [await signUp(app, { admin: true }), await signUp(app)]
  await rateSong(app, songId, 4, user.authorization)
  // The rating's journal entry is cleared after its answer (src/db/rating-journal.ts): cleared before the snapshot.
  await app.ratingsRepository.flush()
  const before = await snapshot(app, EVERY_COLLECTION)
  const cases = [...hostileRequests(songId), ...catalogHostileRequests(songId, { artist: other.artist, title: other.title }, admin.authorization, user.authorization)]
  t.ok(cases.length >= 60, `${cases.length} hostile requests`)

  const statuses = new Map<number, number>()
  for (const [label, request] of cases) {
    const response = await rawRequest(port, request)
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
    t.ok(response.status >= 200 && response.status < 500, `${label}: ${response.status}`)
    t.notOk(response.headers['x-powered-by'] ?? response.headers.server, `${label}: no framework fingerprint`)
    t.notMatch(response.body, /<script/i, `${label}: nothing echoed as markup`)
    if (response.status >= 400) {
      t.match(response.headers['content-type'], /^application\/problem\+json/, `${label}: problem+json`)
      t.match(json(response), { status: response.status, code: /^[A-Z][A-Z_]+$/, title: String, detail: String, type: /^urn:songs-api:problem:/ }, `${label}: a problem`)
    } else if (response.status === 204) {
      t.equal(response.body, '', `${label}: no body`)
    } else {
      t.match(response.headers['content-type'], /^application\/json/, `${label}: JSON`)
      t.doesNotThrow(() => json(response), `${label}: parses`)
    }
  }
  t.comment(`${cases.length} hostile requests; statuses: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(', ')}`)

  t.equal(await snapshot(app, EVERY_COLLECTION), before, 'every collection is byte for byte as before')
  t.equal(({} as Record<string, unknown>).admin, undefined, 'Object.prototype is not polluted')
  const after = await rawRequest(port, get('/songs?limit=1'))
  t.equal(after.status, 200, 'the server still answers')
})
