import { ObjectId } from 'mongodb'
import type { MediaTypeObject, ReferenceObject, RequestBodyObject, SchemaObject } from 'openapi-typescript'
import t, { type Test } from 'tap'
import type { buildApp } from '../../src/app.ts'
import { difficultyAverageExample, passwordChangeExample, searchResultExample } from '../../src/schemas/examples.ts'
import { buildAppBehindProxy, buildTestApp } from '../helper.ts'
import { rateSong } from '../rate-song.ts'
import { committedSpec, operationsOf, parametersOf, responseValidator, type Operation } from './spec.ts'

// Real answers over HTTP, success and error, validated against the responses openapi/openapi.json declares.
// The requests for every operation come from the document's own examples, so operations added later are
// checked too; hand-written requests add the errors each route can give.

interface Call { method: string, url: string, headers?: Record<string, string>, body?: string }

const validate = await responseValidator()
const spec = await committedSpec
const operations = operationsOf(spec)

function listen (app: Awaited<ReturnType<typeof buildApp>>): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' })
}

/** Sends the call, checks the answer against the document, and returns its status and body. */
async function check (t: Test, base: string, call: Call) {
  const response = await fetch(base + call.url, { method: call.method, headers: call.headers, body: call.body })
  const text = await response.text()
  const body: unknown = text !== '' && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text
  const label = `${call.method} ${call.url} → ${response.status}`
  t.same(validate(call.method, call.url, response.status, response.headers.get('content-type'), body), [], `${label} matches the document`)
  return { status: response.status, body: body as Record<string, unknown> }
}

function exampleOf (schema: SchemaObject | ReferenceObject | undefined): unknown {
  if (schema && '$ref' in schema) return exampleOf(spec.components?.schemas?.[schema.$ref.split('/').pop()!])
  // OpenAPI 3.1 schemas carry JSON Schema's `examples` array.
  return (schema as { examples?: unknown[] } | undefined)?.examples?.[0] ?? schema?.example
}

/**
 * A request built from the operation's examples: every parameter that has one, and the request body's. Values
 * that must exist in this database (`song_id`) are replaced by real ones.
 */
function exampleCall ({ method, path, operation }: Operation, real: Record<string, string>): Call {
  let url = path
  const query = new URLSearchParams()
  // An operation that requires a bearer token gets the real one; where it is optional, the call stays anonymous.
  const tokenRequired = operation.security?.length && operation.security.every(requirement => 'bearerAuth' in requirement)
  const headers: Record<string, string> = tokenRequired ? { authorization: real.authorization! } : {}
  for (const parameter of parametersOf(operation)) {
    const value = real[parameter.name] ?? parameter.example ?? exampleOf(parameter.schema)
    if (value === undefined) {
      if (parameter.required) throw new Error(`${operation.operationId}: required parameter ${parameter.name} has no example in the document`)
      continue
    }
    if (parameter.in === 'path') url = url.replace(`{${parameter.name}}`, encodeURIComponent(String(value)))
    if (parameter.in === 'query') query.set(parameter.name, String(value))
    if (parameter.in === 'header') headers[parameter.name] = String(value)
  }
  const media = (operation.requestBody as RequestBodyObject | undefined)?.content['application/json'] as MediaTypeObject | undefined
  if (!media) return { method, url: query.size ? `${url}?${query}` : url, headers }
  const example = media.example ?? exampleOf(media.schema)
  if (example === undefined) throw new Error(`${operation.operationId}: the request body has no example in the document`)
  const body = { ...(example as object), ...Object.fromEntries(Object.entries(real).filter(([name]) => name in (example as object))) }
  return { method, url: query.size ? `${url}?${query}` : url, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

type App = Awaited<ReturnType<typeof buildApp>>

/** A bearer header for the user's current session, made without a request. */
async function authorizationOf (app: App, userId: ObjectId): Promise<string> {
  return `Bearer ${app.jwt.sign({ sub: userId.toHexString(), session_version: (await app.usersRepository.access(userId))!.sessionVersion })}`
}

const CONTRACT_ADMIN_PASSWORD = 'contract-admin-password'

/** A real song, and the password and tokens of an admin (made without a request, so that no rate limit is used up). */
async function realValues (app: App, base: string): Promise<Record<string, string>> {
  const page = await (await fetch(`${base}/songs`)).json() as { items: { id: string }[] }
  const { user } = (await app.usersRepository.makeAdmin('contract-admin', CONTRACT_ADMIN_PASSWORD))!
  const userId = ObjectId.createFromHexString(user.id)
  // Another admin, so that the caller may delete itself; another user for the admin routes on one user.
  await app.usersRepository.makeAdmin('contract-admin-2', CONTRACT_ADMIN_PASSWORD)
  const other = (await app.usersRepository.create('contract-user', 'contract-user-password'))!
  return {
    song_id: page.items[0]!.id,
    user_id: other.id,
    current_password: CONTRACT_ADMIN_PASSWORD,
    // The caller deletes itself last, after the password change has given it the example's new password.
    password: passwordChangeExample.new_password,
    refresh_token: await app.refreshTokensRepository.issue(userId, 0),
    authorization: await authorizationOf(app, userId)
  }
}

// Deletions last, the caller's rating before the song: each example request finds what it is about. After them the
// operations that end the caller's sessions, each sent with a token of the session then current, and at the very end
// the caller's deletion of its own account.
const ENDS_SESSIONS = new Set(['changePassword', 'signOutEverywhere'])
const endsSessions = (o: Operation) => ENDS_SESSIONS.has(o.operation.operationId!)
const selfDeletion = (o: Operation) => o.operation.operationId === 'deleteCurrentUser'
const rest = operations.filter(o => !endsSessions(o) && !selfDeletion(o))
const inOrder = [...rest.filter(o => o.method !== 'DELETE'), ...rest.filter(o => o.method === 'DELETE').reverse(), ...operations.filter(endsSessions), ...operations.filter(selfDeletion)]

t.test('every operation answers its documented example request with a documented success', async t => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  const real = await realValues(app, base)
  // The admin has rated the song, so the operations on the caller's rating find one.
  await rateSong(app, real.song_id!, 4, { authorization: real.authorization! })
  const admin = (await app.database.collections.users.findOne({ username: 'contract-admin' }))!
  for (const operation of inOrder) {
    real.authorization = await authorizationOf(app, admin._id)
    const { status } = await check(t, base, exampleCall(operation, real))
    t.ok(status >= 200 && status < 300, `${operation.operation.operationId} answered ${status}`)
  }
})

t.test('the documented examples are what the seeded catalog answers', async t => {
  const base = await listen(await buildTestApp(t))
  const difficulty = await check(t, base, { method: 'GET', url: `/songs/avg/difficulty?level=${difficultyAverageExample.level}` })
  t.same(difficulty.body, difficultyAverageExample)
  const search = await check(t, base, { method: 'GET', url: '/songs/search?message=ALABAMA%20sun' })
  const withoutIds = (page: unknown) => JSON.parse(JSON.stringify(page), (key, value) => key === 'id' ? undefined : value)
  t.same(withoutIds(search.body), withoutIds(searchResultExample))
})

t.test('errors of every route are the documented problems', async t => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  const { song_id: songId, authorization } = await realValues(app, base)
  const json = { 'content-type': 'application/json' }
  await app.usersRepository.create('contract-disabled', CONTRACT_ADMIN_PASSWORD)
  await app.database.collections.users.updateOne({ username: 'contract-disabled' }, { $set: { disabled: true } })
  const calls: [Call, number, string][] = [
    [{ method: 'GET', url: '/songs?limit=0' }, 400, 'VALIDATION_FAILED'],
    [{ method: 'GET', url: '/songs?cursor=nope' }, 400, 'VALIDATION_FAILED'],
    [{ method: 'GET', url: '/songs/search' }, 400, 'VALIDATION_FAILED'],
    [{ method: 'GET', url: '/songs/search?message=%21%21' }, 400, 'VALIDATION_FAILED'],
    [{ method: 'GET', url: '/songs/avg/difficulty?level=0' }, 400, 'VALIDATION_FAILED'],
    [{ method: 'GET', url: '/songs/avg/rating/not-an-id' }, 400, 'VALIDATION_FAILED'],
    [{ method: 'GET', url: '/songs/avg/rating/%E0%A4%A' }, 400, 'MALFORMED_URL'],
    [{ method: 'GET', url: '/songs/avg/rating/0123456789abcdef01234567' }, 404, 'SONG_NOT_FOUND'],
    [{ method: 'POST', url: '/songs/rating', headers: json, body: JSON.stringify({ song_id: songId, rating: 6 }) }, 400, 'VALIDATION_FAILED'],
    [{ method: 'POST', url: '/songs/rating', headers: json, body: '{"song_id":' }, 400, 'MALFORMED_JSON'],
    [{ method: 'POST', url: '/songs/rating', headers: json, body: JSON.stringify({ song_id: '0123456789abcdef01234567', rating: 3 }) }, 404, 'SONG_NOT_FOUND'],
    [{ method: 'POST', url: '/songs/rating', headers: json, body: JSON.stringify({ song_id: 'x'.repeat(20_000), rating: 3 }) }, 413, 'PAYLOAD_TOO_LARGE'],
    [{ method: 'POST', url: '/songs/rating', headers: { 'content-type': 'text/plain' }, body: 'five stars' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [{ method: 'POST', url: '/songs/rating', headers: { ...json, authorization: 'Bearer not.a.token' }, body: JSON.stringify({ song_id: songId, rating: 3 }) }, 401, 'UNAUTHORIZED'],
    // Accounts
    [{ method: 'POST', url: '/users', headers: json, body: JSON.stringify({ username: 'x', password: 'long enough password' }) }, 400, 'VALIDATION_FAILED'],
    [{ method: 'POST', url: '/users', headers: json, body: JSON.stringify({ username: 'contract-admin', password: 'long enough password' }) }, 409, 'USERNAME_TAKEN'],
    [{ method: 'POST', url: '/auth/token', headers: json, body: JSON.stringify({ username: 'contract-admin', password: 'not the password' }) }, 401, 'INVALID_CREDENTIALS'],
    [{ method: 'POST', url: '/auth/token', headers: json, body: JSON.stringify({ username: { $ne: null }, password: 'not the password' }) }, 400, 'VALIDATION_FAILED'],
    [{ method: 'POST', url: '/auth/refresh', headers: json, body: JSON.stringify({ refresh_token: 'A'.repeat(43) }) }, 401, 'INVALID_REFRESH_TOKEN'],
    [{ method: 'POST', url: '/auth/refresh', headers: json, body: JSON.stringify({}) }, 400, 'VALIDATION_FAILED'],
    [{ method: 'POST', url: '/auth/logout', headers: json, body: '{"refresh_token":' }, 400, 'MALFORMED_JSON'],
    [{ method: 'POST', url: '/auth/token', headers: json, body: JSON.stringify({ username: 'contract-disabled', password: CONTRACT_ADMIN_PASSWORD }) }, 403, 'ACCOUNT_DISABLED'],
    [{ method: 'PUT', url: '/users/me/password', headers: { ...json, authorization: authorization! }, body: JSON.stringify({ current_password: 'not the password', new_password: 'long enough password' }) }, 401, 'INVALID_CREDENTIALS'],
    [{ method: 'POST', url: '/auth/logout-all' }, 401, 'UNAUTHORIZED'],
    [{ method: 'GET', url: '/users/me' }, 401, 'UNAUTHORIZED'],
    [{ method: 'GET', url: '/users/me', headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' } }, 401, 'UNAUTHORIZED']
  ]
  for (const [call, status, code] of calls) {
    const answer = await check(t, base, call)
    t.equal(answer.status, status, `${call.method} ${call.url}`)
    t.equal(answer.body.code, code, `${call.method} ${call.url}`)
  }
})

t.test('past the rate limit every operation answers a documented 429', async t => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '1' })
  const base = await listen(app)
  const real = await realValues(app, base) // uses up the one request this client may make
  for (const operation of operations) {
    const { status } = await check(t, base, exampleCall(operation, real))
    // An operation the limit does not apply to (none yet) answers as usual; the answer still matches the document.
    t.ok(status === 429 || status < 300, `${operation.operation.operationId} answered ${status}`)
  }
})

t.test('with the database cut away every operation answers a documented 503', async t => {
  const { app, proxy } = await buildAppBehindProxy(t)
  const base = await listen(app)
  const real = await realValues(app, base)
  proxy.cut()
  await Promise.all(operations.map(async operation => {
    const { status } = await check(t, base, exampleCall(operation, real))
    // Either the operation needs no database or it says the database is away.
    t.ok(status === 503 || status < 300, `${operation.operation.operationId} answered ${status}`)
  }))
})

t.test('an unexpected failure is the documented 500', async t => {
  const app = await buildTestApp(t)
  const base = await listen(app)
  // A song whose `_id` is not an ObjectId cannot be turned into an answer: a real, unforeseen failure.
  await app.database.db.collection('songs').insertOne({ _id: 'corrupt' as never, artist: 'A', title: 'B', difficulty: 1, level: 1, released: '2020-01-01' })
  const answer = await check(t, base, { method: 'GET', url: '/songs?limit=100' })
  t.equal(answer.status, 500)
  t.equal(answer.body.code, 'INTERNAL_ERROR')
})
