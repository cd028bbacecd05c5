import { ObjectId } from 'mongodb'
import t from 'tap'
import { testDatabase } from '../helper.ts'
import { freePort, startServer } from '../run-script.ts'

const JWT_SECRET = 'log-test-secret-that-is-long-enough-0123456789'
const JWT_PREVIOUS_SECRETS = 'a rotated-out secret which is long enough too'
const PASSWORD = 'a password that must never be logged'
const NEW_PASSWORD = 'the next password, never logged either'

t.test('the server logs no password, hash, token or JWT_SECRET, even at trace level', async t => {
  const { url, collections } = await testDatabase(t)
  const port = await freePort()
  const server = await startServer({ MONGODB_URL: url, PORT: String(port), LOG_LEVEL: 'trace', JWT_SECRET, JWT_PREVIOUS_SECRETS })
  t.teardown(() => server.child.kill())
  const base = `http://127.0.0.1:${port}`
  const post = (path: string, body: object, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

  t.equal((await post('/users', { username: 'logged', password: PASSWORD })).status, 201, 'sign-up')
  t.equal((await post('/users', { username: 'logged', password: PASSWORD })).status, 409, 'a taken name')
  t.equal((await post('/auth/token', { username: 'logged', password: `${PASSWORD}?` })).status, 401, 'a failed sign-in')
  t.equal((await post('/users', { username: 'x', password: PASSWORD })).status, 400, 'a rejected sign-up')
  const signedIn = await post('/auth/token', { username: 'logged', password: PASSWORD })
  t.equal(signedIn.status, 200, 'sign-in')
  const first = await signedIn.json() as { access_token: string, refresh_token: string }
  const refreshed = await post('/auth/refresh', { refresh_token: first.refresh_token })
  t.equal(refreshed.status, 200, 'refresh')
  const second = await refreshed.json() as { access_token: string, refresh_token: string }
  t.equal((await post('/auth/refresh', { refresh_token: first.refresh_token })).status, 401, 'a reused refresh token')
  t.equal((await fetch(`${base}/users/me`, { headers: { authorization: `Bearer ${second.access_token}` } })).status, 200, 'an authenticated request')
  t.equal((await fetch(`${base}/users/me`, { headers: { authorization: `Bearer ${second.access_token}x` } })).status, 401, 'a bad token')
  t.equal((await post('/auth/logout', { refresh_token: second.refresh_token })).status, 204, 'sign-out')
  const put = (path: string, body: object, accessToken: string) =>
    fetch(base + path, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }, body: JSON.stringify(body) })
  t.equal((await put('/users/me/password', { current_password: `${PASSWORD}?`, new_password: NEW_PASSWORD }, second.access_token)).status, 401, 'a wrong current password')
  const changed = await put('/users/me/password', { current_password: PASSWORD, new_password: NEW_PASSWORD }, second.access_token)
  t.equal(changed.status, 200, 'a password change')
  const third = await changed.json() as { access_token: string, refresh_token: string }
  t.equal((await post('/auth/logout-all', {}, { authorization: `Bearer ${third.access_token}` })).status, 204, 'sign-out everywhere')
  t.equal((await post('/auth/refresh', { refresh_token: third.refresh_token })).status, 401, 'a refresh token of an ended session')
  const fourth = await (await post('/auth/token', { username: 'logged', password: NEW_PASSWORD })).json() as { access_token: string, refresh_token: string }
  t.equal((await post('/auth/logout', { refresh_token: fourth.refresh_token })).status, 204, 'sign-out of a live session')

  const user = await collections.users.findOne({ username: 'logged' })
  const hashes = await collections.refreshTokens.find({ user_id: new ObjectId(user!._id) }).toArray()
  // Let the last lines reach the pipe.
  await new Promise(resolve => setTimeout(resolve, 200))
  const log = server.output()
  const audited = log.split('\n').filter(line => line.includes('"audit"')).map(line => (JSON.parse(line) as { audit: { action: string } }).audit.action)
  t.same(audited, ['password_change', 'logout_all', 'sign_out'], 'the account actions were logged (the first sign-out\'s token was revoked already by the reuse)')
  t.ok(log.split('\n').filter(line => line.includes('"reqId"')).length >= 20, 'the requests were logged')
  const secrets: Record<string, string> = {
    password: PASSWORD,
    'password hash': user!.password_hash,
    'password hash salt and digest': user!.password_hash.split('$').slice(-2).join('$'),
    'first access token': first.access_token,
    'signature of the access token': first.access_token.split('.')[2]!,
    'second access token': second.access_token,
    'first refresh token': first.refresh_token,
    'second refresh token': second.refresh_token,
    'new password': NEW_PASSWORD,
    'access token of the password change': third.access_token,
    'refresh token of the password change': third.refresh_token,
    'last access token': fourth.access_token,
    'last refresh token': fourth.refresh_token,
    JWT_SECRET,
    JWT_PREVIOUS_SECRETS
  }
  for (const hash of hashes) secrets[`refresh token hash ${hash.generation}`] = hash._id
  for (const [name, secret] of Object.entries(secrets)) t.notOk(log.includes(secret), `no ${name} in the log`)
})
