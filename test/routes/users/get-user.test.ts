import t from 'tap'
import { signUp } from '../../accounts.ts'
import { buildTestApp, json } from '../../helper.ts'
import { logLines } from '../../log-lines.ts'

t.test('GET /users/:user_id answers the account to an admin, logged; 404, 403, 401 and 400 problems', async t => {
  const { stream, lines } = logLines()
  const app = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream: stream })
  const admin = await signUp(app, { admin: true })
  const user = await signUp(app, { username: 'Viewed' })
  const answer = await app.inject({ url: `/users/${user.id}`, headers: admin.authorization })
  t.equal(answer.statusCode, 200)
  t.same(json(answer), json(await app.inject({ url: '/users/me', headers: user.authorization })), 'as the user sees it')
  t.match(lines.filter(line => line.audit), [{ audit: { action: 'user_view', actor_id: admin.id, target_user_id: user.id } }])

  const missing = await app.inject({ url: '/users/0123456789abcdef01234567', headers: admin.authorization })
  t.equal(missing.statusCode, 404)
  t.match(json(missing), { code: 'USER_NOT_FOUND', type: 'urn:songs-api:problem:user-not-found' })
  t.match(json(await app.inject({ url: `/users/${admin.id}`, headers: user.authorization })), { status: 403, code: 'FORBIDDEN' })
  t.match(json(await app.inject(`/users/${user.id}`)), { status: 401, code: 'UNAUTHORIZED' })
  t.match(json(await app.inject({ url: '/users/not-an-id', headers: admin.authorization })), { status: 400, code: 'VALIDATION_FAILED' })
})
