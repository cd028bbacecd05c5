import { ObjectId } from 'mongodb'
import t from 'tap'
import { signIn, signUp } from '../../accounts.ts'
import { buildTestApp, json, type TestApp } from '../../helper.ts'
import { logLines } from '../../log-lines.ts'

function patch (app: TestApp, userId: string, authorization: { authorization: string }, payload: unknown) {
  return app.inject({ method: 'PATCH', url: `/users/${userId}`, headers: authorization, payload: payload as object })
}

t.test('PATCH disabled: the account\'s tokens are refused from its next request; enabled again it signs in, its old tokens stay dead', async t => {
  const { stream, lines } = logLines()
  const app = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream: stream })
  const admin = await signUp(app, { admin: true })
  const user = await signUp(app)
  const disabled = await patch(app, user.id, admin.authorization, { disabled: true })
  t.equal(disabled.statusCode, 200)
  t.match(json(disabled), { id: user.id, disabled: true, roles: ['user'] })
  t.equal((await app.inject({ url: '/users/me', headers: user.authorization })).statusCode, 401, 'its access token is refused at once')
  t.equal((await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: user.refreshToken } })).statusCode, 401, 'its refresh token too')
  t.match(json(await signIn(app, user.username, user.password)), { status: 403, code: 'ACCOUNT_DISABLED' })
  t.match(json(await patch(app, user.id, admin.authorization, { disabled: false })), { disabled: false })
  t.equal((await signIn(app, user.username, user.password)).statusCode, 200, 'enabled again, it signs in')
  t.equal((await app.inject({ url: '/users/me', headers: user.authorization })).statusCode, 401, 'the token from before stays refused')
  t.match(lines.filter(line => line.audit).map(line => line.audit), [
    { action: 'user_update', actor_id: admin.id, target_user_id: user.id },
    { action: 'user_update', actor_id: admin.id, target_user_id: user.id }
  ])
})

t.test('PATCH roles applies on the user\'s next request: promoted, the same token may change the catalog; demoted, it may not', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const user = await signUp(app)
  const newSong = { artist: 'The Yousicians', title: 'Promoted', difficulty: 3, level: 2, released: '2024-01-01' }
  t.equal((await app.inject({ method: 'POST', url: '/songs', headers: user.authorization, payload: newSong })).statusCode, 403)
  t.match(json(await patch(app, user.id, admin.authorization, { roles: ['admin'] })), { roles: ['user', 'admin'] }, 'every account keeps user')
  t.equal((await app.inject({ method: 'POST', url: '/songs', headers: user.authorization, payload: newSong })).statusCode, 201, 'the token it had works as an admin\'s')
  t.match(json(await patch(app, user.id, admin.authorization, { roles: ['user'] })), { roles: ['user'] })
  t.equal((await app.inject({ method: 'POST', url: '/songs', headers: user.authorization, payload: { ...newSong, title: 'Demoted' } })).statusCode, 403, 'demoted at once')
})

t.test('the last admin cannot demote or disable themselves (409 LAST_ADMIN, nothing changed); with a second admin they can', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  for (const change of [{ roles: ['user'] }, { disabled: true }, { roles: [], disabled: true }]) {
    const refused = await patch(app, admin.id, admin.authorization, change)
    t.equal(refused.statusCode, 409, JSON.stringify(change))
    t.match(json(refused), { code: 'LAST_ADMIN' })
  }
  t.match(await app.database.collections.users.findOne({ _id: new ObjectId(admin.id) }), { roles: ['user', 'admin'], disabled: undefined, leaving: undefined }, 'unchanged, no mark left')
  t.equal((await patch(app, admin.id, admin.authorization, { roles: ['admin', 'user'] })).statusCode, 200, 'a change that keeps them admin is fine')
  await signUp(app, { admin: true })
  t.match(json(await patch(app, admin.id, admin.authorization, { roles: ['user'] })), { roles: ['user'] })
})

t.test('two admins demoting each other at once: never both, so an enabled admin always remains', async t => {
  const app = await buildTestApp(t)
  const a = await signUp(app, { admin: true })
  const b = await signUp(app, { admin: true })
  const outcomes: string[] = []
  for (let round = 0; round < 5; round++) {
    const answers = await Promise.all([patch(app, b.id, a.authorization, { roles: ['user'] }), patch(app, a.id, b.authorization, { disabled: true })])
    outcomes.push(answers.map(answer => answer.statusCode).join('+'))
    // Each may also come second to the other's change of them: 403 once demoted, 401 once disabled (which ends
    // their sessions), as any request of theirs would then be answered.
    t.ok(answers.every(answer => [200, 401, 403, 409].includes(answer.statusCode)), `round ${round}: ${outcomes.at(-1)}`)
    t.ok(answers.filter(answer => answer.statusCode === 200).length <= 1, `round ${round}: not both applied`)
    t.ok(await app.database.collections.users.countDocuments({ roles: 'admin', disabled: { $ne: true } }) >= 1, `round ${round}: an enabled admin remains`)
    // Both admins again, with fresh tokens (disabling ended a's sessions).
    await app.database.collections.users.updateMany({ _id: { $in: [new ObjectId(a.id), new ObjectId(b.id)] } }, { $set: { roles: ['user', 'admin'], disabled: false } })
    for (const account of [a, b]) {
      const signedIn = json(await signIn(app, account.username, account.password))
      account.authorization = { authorization: `Bearer ${signedIn.access_token}` }
    }
  }
  t.comment(`answers per round: ${outcomes.join(', ')}`)
})

t.test('PATCH /users/:user_id problems: 400, 404, 403, 401', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const user = await signUp(app)
  for (const body of [{}, { roles: ['owner'] }, { roles: ['admin', 'admin'] }, { disabled: 'yes' }, { username: 'renamed' }]) {
    const answer = await patch(app, user.id, admin.authorization, body)
    t.equal(answer.statusCode, 400, JSON.stringify(body))
    t.match(json(answer), { code: 'VALIDATION_FAILED' })
  }
  t.match(json(await patch(app, '0123456789abcdef01234567', admin.authorization, { disabled: true })), { status: 404, code: 'USER_NOT_FOUND' })
  t.match(json(await patch(app, admin.id, user.authorization, { disabled: true })), { status: 403, code: 'FORBIDDEN' })
  t.match(json(await app.inject({ method: 'PATCH', url: `/users/${user.id}`, payload: { disabled: true } })), { status: 401, code: 'UNAUTHORIZED' })
  t.match(json(await app.inject({ url: '/users/me', headers: user.authorization })), { disabled: false }, 'nothing changed')
})
