import { ObjectId } from 'mongodb'
import t from 'tap'
import { signIn, signUp } from '../../accounts.ts'
import { buildTestApp, json } from '../../helper.ts'
import { logLines } from '../../log-lines.ts'
import { firstSongId, rateSong } from '../../rate-song.ts'

t.test('DELETE /users/:user_id deletes the account as self-deletion does, logged; then 404', async t => {
  const { stream, lines } = logLines()
  const app = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream: stream })
  const admin = await signUp(app, { admin: true })
  const user = await signUp(app)
  const song = await firstSongId(app)
  t.equal((await rateSong(app, song, 5, user.authorization)).statusCode, 201)
  const deleted = await app.inject({ method: 'DELETE', url: `/users/${user.id}`, headers: admin.authorization })
  t.equal(deleted.statusCode, 204)
  t.equal((await app.inject({ url: '/users/me', headers: user.authorization })).statusCode, 401, 'its token is refused')
  t.equal((await signIn(app, user.username, user.password)).statusCode, 401, 'it cannot sign in')
  t.match(json(await app.inject(`/songs/avg/rating/${song}`)), { count: 0 }, 'its rating is out of the summary')
  t.equal(await app.database.collections.userRatings.countDocuments({ user_id: new ObjectId(user.id) }), 0)
  t.match(lines.filter(line => line.audit), [{ audit: { action: 'user_delete', actor_id: admin.id, target_user_id: user.id } }])
  const again = await app.inject({ method: 'DELETE', url: `/users/${user.id}`, headers: admin.authorization })
  t.equal(again.statusCode, 404)
  t.match(json(again), { code: 'USER_NOT_FOUND' })
})

t.test('DELETE /users/:user_id: the last admin cannot delete themselves; another admin can be deleted; 403 and 401', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const user = await signUp(app)
  const self = await app.inject({ method: 'DELETE', url: `/users/${admin.id}`, headers: admin.authorization })
  t.equal(self.statusCode, 409)
  t.match(json(self), { code: 'LAST_ADMIN' })
  t.equal(await app.database.collections.users.countDocuments({ _id: new ObjectId(admin.id), leaving: { $exists: true } }), 0, 'the refused change leaves no mark')
  const second = await signUp(app, { admin: true })
  t.equal((await app.inject({ method: 'DELETE', url: `/users/${second.id}`, headers: admin.authorization })).statusCode, 204, 'another admin')
  t.match(json(await app.inject({ method: 'DELETE', url: `/users/${admin.id}`, headers: user.authorization })), { status: 403, code: 'FORBIDDEN' })
  t.match(json(await app.inject({ method: 'DELETE', url: `/users/${admin.id}` })), { status: 401, code: 'UNAUTHORIZED' })
})
