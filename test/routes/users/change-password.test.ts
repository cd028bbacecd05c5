import { ObjectId } from 'mongodb'
import t from 'tap'
import { bearer, changePassword, signIn, signUp } from '../../accounts.ts'
import { buildTestApp, json, type TestApp } from '../../helper.ts'

const NEW_PASSWORD = 'a brand new password, long enough'

function me (app: TestApp, accessToken: string) {
  return app.inject({ url: '/users/me', headers: bearer(accessToken) })
}

function refresh (app: TestApp, refreshToken: string) {
  return app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: refreshToken } })
}

t.test('PUT /users/me/password answers a new pair; every token from before and the old password stop working', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const otherDevice = json(await signIn(app, user.username, user.password))
  const bystander = await signUp(app)

  const answer = await changePassword(app, user.accessToken, user.password, NEW_PASSWORD)
  t.equal(answer.statusCode, 200)
  t.equal(answer.headers['cache-control'], 'no-store')
  const pair = json(answer)
  t.match(pair, { token_type: 'Bearer', expires_in: 900, access_token: /^ey/, refresh_token: /^[A-Za-z0-9_-]{43}$/ })

  t.equal((await me(app, user.accessToken)).statusCode, 401, 'the access token that made the change is refused')
  t.equal((await me(app, otherDevice.access_token)).statusCode, 401, 'another device\'s access token is refused')
  t.match(json(await refresh(app, user.refreshToken)), { status: 401, code: 'INVALID_REFRESH_TOKEN' }, 'the refresh token from before is refused')
  t.equal((await refresh(app, otherDevice.refresh_token)).statusCode, 401, 'another device\'s refresh token is refused')
  t.equal((await signIn(app, user.username, user.password)).statusCode, 401, 'the old password no longer signs in')

  t.equal((await me(app, pair.access_token)).statusCode, 200, 'the answered access token works')
  const refreshed = await refresh(app, pair.refresh_token)
  t.equal(refreshed.statusCode, 200, 'the answered refresh token works')
  t.equal((await me(app, json(refreshed).access_token)).statusCode, 200, 'and so does the pair it gives')
  t.equal((await signIn(app, user.username, NEW_PASSWORD)).statusCode, 200, 'the new password signs in')
  t.equal((await me(app, bystander.accessToken)).statusCode, 200, 'another user is not affected')

  const stored = (await app.database.collections.users.findOne({ _id: new ObjectId(user.id) }))!
  t.match(stored.password_hash, /^\$argon2id\$/, 'stored as an argon2id hash')
  t.notOk(JSON.stringify(stored).includes(NEW_PASSWORD), 'never in clear')
})

t.test('a wrong current password is a 401 INVALID_CREDENTIALS and changes nothing', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const answer = await changePassword(app, user.accessToken, `${user.password}x`, NEW_PASSWORD)
  t.equal(answer.statusCode, 401)
  t.match(json(answer), { status: 401, code: 'INVALID_CREDENTIALS' })
  t.equal((await me(app, user.accessToken)).statusCode, 200, 'the session goes on')
  t.equal((await refresh(app, user.refreshToken)).statusCode, 200)
  t.equal((await signIn(app, user.username, user.password)).statusCode, 200, 'the password is unchanged')
  t.equal((await signIn(app, user.username, NEW_PASSWORD)).statusCode, 401)
})

t.test('wrong current passwords count as failed sign-ins of the account: past the limit, a 429 for both', async t => {
  const app = await buildTestApp(t, { SIGN_IN_MAX_FAILURES: '3', SIGN_IN_WINDOW_SECONDS: '600' })
  const user = await signUp(app)
  t.equal((await signIn(app, user.username, 'wrong password!', '10.0.2.1')).statusCode, 401)
  for (const address of ['10.0.2.2', '10.0.2.3']) {
    t.equal((await changePassword(app, user.accessToken, 'wrong password!', NEW_PASSWORD, address)).statusCode, 401)
  }
  const limited = await changePassword(app, user.accessToken, user.password, NEW_PASSWORD, '10.0.2.4')
  t.equal(limited.statusCode, 429, 'even the right current password, from a new address')
  t.ok(Number(limited.headers['retry-after']) > 0, 'with Retry-After')
  t.equal((await signIn(app, user.username, user.password, '10.0.2.5')).statusCode, 429, 'sign-in of the account is limited too')
  t.equal((await me(app, user.accessToken)).statusCode, 200, 'nothing changed')
})

t.test('the new password follows the sign-up rules; bad bodies are 400s and change nothing', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const bodies: [object, RegExp][] = [
    [{ current_password: user.password, new_password: 'too short' }, /body\.new_password/],
    [{ current_password: user.password, new_password: 'x'.repeat(129) }, /body\.new_password/],
    [{ current_password: user.password }, /new_password/],
    [{ new_password: NEW_PASSWORD }, /current_password/],
    [{ current_password: { $ne: null }, new_password: NEW_PASSWORD }, /body\.current_password/],
    [{ current_password: user.password, new_password: NEW_PASSWORD, username: 'someone-else' }, /username/]
  ]
  for (const [payload, field] of bodies) {
    const answer = await app.inject({ method: 'PUT', url: '/users/me/password', headers: user.authorization, payload })
    t.equal(answer.statusCode, 400, JSON.stringify(payload))
    t.match(json(answer), { code: 'VALIDATION_FAILED' })
    t.match(answer.body, field)
  }
  t.equal((await me(app, user.accessToken)).statusCode, 200, 'the session goes on')
  t.equal((await signIn(app, user.username, user.password)).statusCode, 200, 'the password is unchanged')
})

t.test('without a valid bearer token: 401 UNAUTHORIZED, before any password is looked at', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const payload = { current_password: user.password, new_password: NEW_PASSWORD }
  const anonymous = await app.inject({ method: 'PUT', url: '/users/me/password', payload })
  t.equal(anonymous.statusCode, 401)
  t.match(json(anonymous), { code: 'UNAUTHORIZED' })
  t.equal(anonymous.headers['www-authenticate'], 'Bearer')
  const badToken = await app.inject({ method: 'PUT', url: '/users/me/password', headers: bearer(`${user.accessToken}x`), payload })
  t.equal(badToken.statusCode, 401)
  t.match(json(badToken), { code: 'UNAUTHORIZED' })
  t.equal((await signIn(app, user.username, user.password)).statusCode, 200, 'the password is unchanged')
})
