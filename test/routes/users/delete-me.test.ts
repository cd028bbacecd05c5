import { ObjectId } from 'mongodb'
import t from 'tap'
import { bearer, signIn, signUp } from '../../accounts.ts'
import { buildTestApp, json } from '../../helper.ts'
import { logLines } from '../../log-lines.ts'
import { deletionWorkDone, giveRatings, moreSongs, summariesMatchStoredRatings } from '../../rated-account.ts'
import { rateSong } from '../../rate-song.ts'

// FerretDB 1 removes about 35 ratings a second here (each removal scans user_ratings there): the 1,000-rating case takes a minute.
t.setTimeout(400_000)

function deleteMe (app: Awaited<ReturnType<typeof buildTestApp>>, authorization: { authorization: string }, password: string) {
  return app.inject({ method: 'DELETE', url: '/users/me', headers: authorization, payload: { password } })
}

t.test('DELETE /users/me: 204, then the account cannot sign in, its tokens are refused, its name is free and its ratings are out of every summary', async t => {
  const { stream, lines } = logLines()
  const app = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream: stream })
  const songs = (json(await app.inject('/songs?limit=3')).items as { id: string }[]).map(song => song.id)
  const leaving = await signUp(app, { username: 'Leaving' })
  const staying = await signUp(app)
  for (const [i, song] of songs.entries()) t.equal((await rateSong(app, song, i + 3, leaving.authorization)).statusCode, 201)
  t.equal((await rateSong(app, songs[0]!, 1, staying.authorization)).statusCode, 201)
  t.equal((await rateSong(app, songs[0]!, 2)).statusCode, 201, 'an anonymous rating')

  const deleted = await deleteMe(app, leaving.authorization, leaving.password)
  t.equal(deleted.statusCode, 204, deleted.body)
  t.equal(deleted.body, '')

  t.equal((await app.inject({ url: '/users/me', headers: leaving.authorization })).statusCode, 401, 'its access token is refused')
  t.match(json(await signIn(app, leaving.username, leaving.password)), { status: 401, code: 'INVALID_CREDENTIALS' }, 'it cannot sign in')
  t.equal((await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: leaving.refreshToken } })).statusCode, 401, 'its refresh token is refused')
  t.equal(await app.database.collections.refreshTokens.countDocuments({ user_id: new ObjectId(leaving.id) }), 0, 'its refresh tokens are gone')
  t.equal(await app.database.collections.userRatings.countDocuments({ user_id: new ObjectId(leaving.id) }), 0, 'its ratings are gone')
  t.equal(await app.database.collections.ratings.countDocuments({}), 1, 'the anonymous rating stays')
  t.equal(await app.database.collections.userRatings.countDocuments({ user_id: new ObjectId(staying.id) }), 1, 'another user\'s rating stays')
  await summariesMatchStoredRatings(t, app, songs.map(song => ObjectId.createFromHexString(song)), 'after the deletion')
  t.match(json(await app.inject(`/songs/avg/rating/${songs[1]}`)), { count: 0, average: null, lowest: null, highest: null }, 'a song only the deleted user rated has no rating left')

  const again = await app.inject({ method: 'POST', url: '/users', payload: { username: 'leaving', password: 'a new person, a new password' } })
  t.equal(again.statusCode, 201, 'the username is free for a new sign-up')
  t.not(json(again).id, leaving.id)

  const audit = lines.filter(line => line.audit)
  t.match(audit, [{ level: 30, audit: { action: 'account_delete', actor_id: leaving.id, target_user_id: leaving.id } }], 'one audit line')
  t.notMatch(JSON.stringify(lines), leaving.password, 'the password is in no log line')
})

t.test('DELETE /users/me with a wrong password: 401 INVALID_CREDENTIALS, nothing deleted, and counted by the failed sign-in limit', async t => {
  const app = await buildTestApp(t, { SIGN_IN_MAX_FAILURES: '3' })
  const user = await signUp(app)
  for (let i = 0; i < 3; i++) {
    const wrong = await deleteMe(app, user.authorization, 'not the password at all')
    t.equal(wrong.statusCode, 401)
    t.match(json(wrong), { code: 'INVALID_CREDENTIALS' })
  }
  t.equal((await app.inject({ url: '/users/me', headers: user.authorization })).statusCode, 200, 'the account is still there')
  const limited = await deleteMe(app, user.authorization, user.password)
  t.equal(limited.statusCode, 429, 'past the limit even the right password is refused')
  t.match(json(limited), { code: 'RATE_LIMITED' })
  t.ok(Number(limited.headers['retry-after']) > 0)
  t.equal((await signIn(app, user.username, user.password)).statusCode, 429, 'the failures count against signing in as that user too')
})

t.test('DELETE /users/me problems: no token 401, no password 400, not JSON 415', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const anonymous = await app.inject({ method: 'DELETE', url: '/users/me', payload: { password: user.password } })
  t.equal(anonymous.statusCode, 401)
  t.match(json(anonymous), { code: 'UNAUTHORIZED' })
  t.equal(anonymous.headers['www-authenticate'], 'Bearer')
  const empty = await app.inject({ method: 'DELETE', url: '/users/me', headers: user.authorization, payload: {} })
  t.equal(empty.statusCode, 400)
  t.match(json(empty), { code: 'VALIDATION_FAILED', errors: [{ field: 'body.password' }] })
  t.match(empty.headers['content-type'], /^application\/problem\+json/)
  const text = await app.inject({ method: 'DELETE', url: '/users/me', headers: { ...user.authorization, 'content-type': 'text/plain' }, payload: user.password })
  t.equal(text.statusCode, 415)
  t.equal((await app.inject({ url: '/users/me', headers: user.authorization })).statusCode, 200, 'none of them deleted anything')
})

t.test('the last admin cannot delete themselves (409 LAST_ADMIN); with another admin they can', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const refused = await deleteMe(app, admin.authorization, admin.password)
  t.equal(refused.statusCode, 409)
  t.match(json(refused), { code: 'LAST_ADMIN', type: 'urn:songs-api:problem:last-admin' })
  t.equal((await app.inject({ url: '/users/me', headers: admin.authorization })).statusCode, 200, 'still there')
  await signUp(app, { admin: true })
  t.equal((await deleteMe(app, admin.authorization, admin.password)).statusCode, 204)
})

t.test('an account with 1,000 ratings: 202 after one bounded batch, gone at once; the rest runs in the background and every summary ends exact', async t => {
  const app = await buildTestApp(t)
  const songs = await moreSongs(app, 1000)
  const heavy = await signUp(app)
  const other = await signUp(app)
  await giveRatings(app, heavy.id, songs)
  await giveRatings(app, other.id, songs.slice(0, 50))

  const deleted = await deleteMe(app, heavy.authorization, heavy.password)
  t.equal(deleted.statusCode, 202, 'answered after one batch, before the ratings are all out')
  t.ok(await app.database.collections.accountDeletions.findOne({ _id: new ObjectId(heavy.id) }), 'the job is recorded')
  t.equal((await app.inject({ url: '/users/me', headers: bearer(heavy.accessToken) })).statusCode, 401, 'its token is refused at once')
  t.equal((await signIn(app, heavy.username, heavy.password)).statusCode, 401, 'it cannot sign in at once')

  await deletionWorkDone(app, heavy.id)
  t.equal(await app.database.collections.userRatings.countDocuments({ user_id: new ObjectId(other.id) }), 50, 'the other user\'s ratings stay')
  await summariesMatchStoredRatings(t, app, songs, 'after the job')
})
