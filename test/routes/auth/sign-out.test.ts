import t from 'tap'
import { signIn, signUp } from '../../accounts.ts'
import { buildTestApp, json } from '../../helper.ts'

t.test('POST /auth/logout answers 204 and revokes that refresh token only', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const otherDevice = json(await signIn(app, user.username, user.password)).refresh_token
  const answer = await app.inject({ method: 'POST', url: '/auth/logout', payload: { refresh_token: user.refreshToken } })
  t.equal(answer.statusCode, 204)
  t.equal(answer.body, '')
  t.equal((await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: user.refreshToken } })).statusCode, 401, 'the token is revoked')
  t.equal((await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: otherDevice } })).statusCode, 200, 'another sign-in is not')
  const again = await app.inject({ method: 'POST', url: '/auth/logout', payload: { refresh_token: user.refreshToken } })
  t.equal(again.statusCode, 204, 'signing out twice is fine')
})

t.test('POST /auth/logout with a bad body is a 400', async t => {
  const app = await buildTestApp(t)
  for (const payload of [{}, { refresh_token: { $gt: '' } }, { refresh_token: 'x', extra: 1 }]) {
    const answer = await app.inject({ method: 'POST', url: '/auth/logout', payload })
    t.equal(answer.statusCode, 400, JSON.stringify(payload))
    t.match(json(answer), { code: 'VALIDATION_FAILED' })
  }
})
