import { ObjectId } from 'mongodb'
import t from 'tap'
import { buildApp } from '../../../src/app.ts'
import { bearer, signIn, signUp } from '../../accounts.ts'
import { buildTestApp, json, type TestApp, testConfig } from '../../helper.ts'

function logoutAll (app: TestApp, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/auth/logout-all', headers })
}

t.test('POST /auth/logout-all answers 204 and ends every session of the caller at once, and no one else\'s', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const otherDevice = json(await signIn(app, user.username, user.password))
  const bystander = await signUp(app)

  const answer = await logoutAll(app, user.authorization)
  t.equal(answer.statusCode, 204)
  t.equal(answer.body, '')
  t.equal(answer.headers['cache-control'], 'no-store')

  for (const [name, accessToken] of [['the caller\'s', user.accessToken], ['another device\'s', otherDevice.access_token]]) {
    const refused = await app.inject({ url: '/users/me', headers: bearer(accessToken!) })
    t.equal(refused.statusCode, 401, `${name} access token is refused`)
    t.equal(refused.headers['www-authenticate'], 'Bearer error="invalid_token"')
  }
  for (const [name, refreshToken] of [['the caller\'s', user.refreshToken], ['another device\'s', otherDevice.refresh_token]]) {
    const refused = await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: refreshToken } })
    t.match(json(refused), { status: 401, code: 'INVALID_REFRESH_TOKEN' }, `${name} refresh token is refused`)
  }
  t.equal((await logoutAll(app, user.authorization)).statusCode, 401, 'the ended session cannot sign out again')
  t.equal((await app.inject({ url: '/users/me', headers: bystander.authorization })).statusCode, 200, 'another user is not affected')

  const again = await signIn(app, user.username, user.password)
  t.equal(again.statusCode, 200, 'the password still signs in')
  t.equal((await app.inject({ url: '/users/me', headers: bearer(json(again).access_token) })).statusCode, 200, 'into a new session')
})

t.test('another instance on the same database refuses the ended session at its next request', async t => {
  const app = await buildTestApp(t, { JWT_SECRET: 'a secret shared by both instances, 32+ bytes' })
  const user = await signUp(app)
  const other = await buildApp(testConfig({ JWT_SECRET: 'a secret shared by both instances, 32+ bytes', MONGODB_URL: app.database.url }))
  t.teardown(() => other.close())
  t.equal((await other.inject({ url: '/users/me', headers: user.authorization })).statusCode, 200)
  t.equal((await logoutAll(app, user.authorization)).statusCode, 204)
  t.equal((await other.inject({ url: '/users/me', headers: user.authorization })).statusCode, 401)
  t.equal((await other.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: user.refreshToken } })).statusCode, 401)
})

t.test('without a valid bearer token: 401 UNAUTHORIZED, and nothing ends', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const anonymous = await logoutAll(app)
  t.equal(anonymous.statusCode, 401)
  t.match(json(anonymous), { code: 'UNAUTHORIZED' })
  t.equal(anonymous.headers['www-authenticate'], 'Bearer')
  t.equal((await logoutAll(app, bearer(`${user.accessToken}x`))).statusCode, 401)
  t.equal((await app.inject({ url: '/users/me', headers: user.authorization })).statusCode, 200)
  t.same(await app.database.collections.users.findOne({ _id: new ObjectId(user.id) }, { projection: { _id: 0, session_version: 1 } }), {}, 'no version raised')
})
