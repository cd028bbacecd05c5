import { ObjectId } from 'mongodb'
import t from 'tap'
import { signUp } from '../../accounts.ts'
import { buildTestApp, json } from '../../helper.ts'

t.test('GET /users/me answers the signed-in user, without its hash', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app, { username: 'Frank' })
  const answer = await app.inject({ url: '/users/me', headers: user.authorization })
  t.equal(answer.statusCode, 200)
  t.match(json(answer), { id: user.id, username: 'frank', roles: ['user'], created_at: String, disabled: false })
  t.same(Object.keys(json(answer)).sort(), ['created_at', 'disabled', 'id', 'roles', 'username'])
  t.equal(answer.headers['cache-control'], 'private, no-cache', 'a shared cache must not keep one user\'s answer for another')
  const admin = await signUp(app, { admin: true })
  t.match(json(await app.inject({ url: '/users/me', headers: admin.authorization })), { id: admin.id, roles: ['user', 'admin'] })
})

t.test('GET /users/me without a token, or with the token of a deleted user, is a 401', async t => {
  const app = await buildTestApp(t)
  const anonymous = await app.inject('/users/me')
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.headers['www-authenticate'], 'Bearer')
  t.match(json(anonymous), { code: 'UNAUTHORIZED' })
  const user = await signUp(app)
  await app.database.collections.users.deleteOne({ _id: new ObjectId(user.id) })
  const deleted = await app.inject({ url: '/users/me', headers: user.authorization })
  t.equal(deleted.statusCode, 401)
  t.equal(deleted.headers['www-authenticate'], 'Bearer error="invalid_token"')
})
