import { ObjectId } from 'mongodb'
import t from 'tap'
import { bearer, claimsOf, headerOf, signIn, signUp } from '../../accounts.ts'
import { keyId } from '../../../src/plugins/external/jwt.ts'
import { buildTestApp, json, type TestApp } from '../../helper.ts'

const SECRET = 'the sign-in test secret, at least thirty-two bytes'

/** `POST /auth/token` with any body, well-formed or not. */
function requestToken (app: TestApp, payload: unknown) {
  return app.inject({ method: 'POST', url: '/auth/token', payload: payload as object })
}

t.test('POST /auth/token answers an HS256 access token (kid of JWT_SECRET) with sub, session_version, iat and exp, and a refresh token', async t => {
  const app = await buildTestApp(t, { ACCESS_TOKEN_TTL_SECONDS: '600', JWT_SECRET: SECRET })
  const user = await signUp(app, { username: 'grace' })
  const answer = await signIn(app, 'GRACE', user.password)
  t.equal(answer.statusCode, 200, 'the name is case-insensitive')
  t.equal(answer.headers['cache-control'], 'no-store', 'tokens are never cached (RFC 6749 §5.1)')
  const body = json(answer)
  t.same(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type'])
  t.match(body, { token_type: 'Bearer', expires_in: 600, refresh_token: /^[A-Za-z0-9_-]{43}$/ })
  t.same(headerOf(body.access_token), { alg: 'HS256', typ: 'JWT', kid: keyId(Buffer.from(SECRET)) })
  t.notOk(body.access_token.includes(Buffer.from(SECRET).toString('base64url').slice(0, 20)), 'the kid does not carry the secret')
  const claims = claimsOf(body.access_token)
  t.same(Object.keys(claims).sort(), ['exp', 'iat', 'session_version', 'sub'], 'no roles: they are read from the user at each request')
  t.match(claims, { sub: user.id, session_version: 0 })
  t.equal(Number(claims.exp) - Number(claims.iat), 600, 'exp is ACCESS_TOKEN_TTL_SECONDS after iat')
  t.ok(Math.abs(Number(claims.iat) - Date.now() / 1000) < 60)
  t.equal((await app.inject({ url: '/users/me', headers: bearer(body.access_token) })).statusCode, 200)
  const stored = await app.database.collections.refreshTokens.find().toArray()
  t.equal(stored.length, 2, 'one refresh token per sign-in')
  t.notOk(stored.some(doc => JSON.stringify(doc).includes(body.refresh_token)), 'stored only as a hash')
})

t.test('an unknown user and a wrong password get the same 401 INVALID_CREDENTIALS', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app, { username: 'heidi' })
  const wrongPassword = await signIn(app, 'heidi', `${user.password}x`)
  const unknownUser = await signIn(app, 'nobody-here', user.password)
  for (const answer of [wrongPassword, unknownUser]) {
    t.equal(answer.statusCode, 401)
    t.notOk(answer.headers['www-authenticate'], 'no bearer challenge: this is not a bearer-protected resource')
  }
  t.same(json(wrongPassword), json(unknownUser), 'the bodies are identical')
  t.match(json(wrongPassword), { status: 401, code: 'INVALID_CREDENTIALS' })
})

t.test('a disabled account: 403 ACCOUNT_DISABLED for the right password only; signs in again once enabled', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const users = app.database.collections.users
  await users.updateOne({ _id: new ObjectId(user.id) }, { $set: { disabled: true }, $inc: { session_version: 1 } })
  const wrong = await signIn(app, user.username, `${user.password}x`)
  t.equal(wrong.statusCode, 401, 'a wrong password tells nothing about the account')
  t.match(json(wrong), { code: 'INVALID_CREDENTIALS' })
  const right = await signIn(app, user.username, user.password)
  t.equal(right.statusCode, 403)
  t.equal(right.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(json(right), { status: 403, code: 'ACCOUNT_DISABLED' })
  t.notOk('access_token' in json(right))
  t.equal(await app.database.collections.refreshTokens.countDocuments({ user_id: new ObjectId(user.id) }), 1, 'no refresh token was issued')
  await users.updateOne({ _id: new ObjectId(user.id) }, { $set: { disabled: false } })
  const enabled = await signIn(app, user.username, user.password)
  t.equal(enabled.statusCode, 200)
  t.equal((await app.inject({ url: '/users/me', headers: bearer(json(enabled).access_token) })).statusCode, 200)
  t.equal((await app.inject({ url: '/users/me', headers: user.authorization })).statusCode, 401, 'the tokens from before the disabling stay dead')
})

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

t.test('an unknown user takes about as long as a wrong password (a dummy hash is verified)', async t => {
  // Many failures from one address: past the failed sign-in limit, which is tested on its own.
  const app = await buildTestApp(t, { SIGN_IN_MAX_FAILURES: '1000' })
  const user = await signUp(app, { username: 'ivan' })
  const time = async (payload: object, status: number) => {
    const started = process.hrtime.bigint()
    const answer = await requestToken(app, payload)
    t.equal(answer.statusCode, status)
    return Number(process.hrtime.bigint() - started) / 1e6
  }
  const wrong: number[] = []
  const unknown: number[] = []
  const noHash: number[] = []
  // Interleaved, so a burst of load elsewhere on the machine hits each kind alike; medians, so one burst does not count.
  for (let i = 0; i < 15; i++) {
    wrong.push(await time({ username: 'ivan', password: `${user.password}${i}` }, 401))
    unknown.push(await time({ username: `nobody${i}`, password: `${user.password}${i}` }, 401))
    // The same route refused by validation: everything but the database read and the hash.
    noHash.push(await time({ username: `nobody${i}`, password: 'short' }, 400))
  }
  const ratio = median(unknown) / median(wrong)
  t.comment(`median wrong password ${median(wrong).toFixed(1)} ms, unknown user ${median(unknown).toFixed(1)} ms (ratio ${ratio.toFixed(2)}), no hash ${median(noHash).toFixed(1)} ms`)
  t.ok(median(unknown) > 3 * median(noHash), 'an unknown user costs a hash verification, not a quick miss')
  t.ok(ratio > 1 / 3 && ratio < 3, `ratio ${ratio.toFixed(2)} within 1/3-3 (a quick miss would be below 1/3)`)
})

t.test('bad bodies are 400s; an operator in the name is not a query', async t => {
  const app = await buildTestApp(t)
  await signUp(app, { username: 'judy' })
  for (const payload of [{ username: { $ne: null }, password: 'whatever-password' }, { username: 'judy', password: { $ne: null } }, { username: 'judy' }, {}]) {
    const answer = await requestToken(app, payload)
    t.equal(answer.statusCode, 400, JSON.stringify(payload))
    t.match(json(answer), { code: 'VALIDATION_FAILED' })
  }
})
