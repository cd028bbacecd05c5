import t from 'tap'
import { signUp } from '../../accounts.ts'
import { expectedSummary } from '../../expected-summary.ts'
import { buildTestApp, json } from '../../helper.ts'
import { firstSongId, rateSong } from '../../rate-song.ts'

t.test('DELETE /users/me/ratings/:song_id removes the caller\'s rating and the summary no longer counts it', async t => {
  const app = await buildTestApp(t)
  const alice = await signUp(app)
  const bob = await signUp(app)
  const songId = await firstSongId(app)
  await rateSong(app, songId, 1, alice.authorization)
  await rateSong(app, songId, 5, bob.authorization)
  await rateSong(app, songId, 3)
  t.same(json(await app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, [1, 5, 3]))

  const removed = await app.inject({ method: 'DELETE', url: `/users/me/ratings/${songId}`, headers: alice.authorization })
  t.equal(removed.statusCode, 204)
  t.equal(removed.body, '')
  t.same(json(await app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, [5, 3]), 'lowest is recomputed from the distribution')
  t.equal((await app.inject({ url: `/users/me/ratings/${songId}`, headers: alice.authorization })).statusCode, 404)
  t.equal((await app.inject({ url: `/users/me/ratings/${songId}`, headers: bob.authorization })).statusCode, 200, 'bob\'s rating is untouched')

  const again = await app.inject({ method: 'DELETE', url: `/users/me/ratings/${songId}`, headers: alice.authorization })
  t.equal(again.statusCode, 404)
  t.match(json(again), { code: 'RATING_NOT_FOUND' })
  t.same(json(await app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, [5, 3]), 'a second delete takes nothing more away')

  await app.inject({ method: 'DELETE', url: `/users/me/ratings/${songId}`, headers: bob.authorization })
  await rateSong(app, songId, 2, alice.authorization)
  t.same(json(await app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, [3, 2]), 'alice can rate again')
})

t.test('no token 401, malformed id 400; neither removes anything', async t => {
  const app = await buildTestApp(t)
  const alice = await signUp(app)
  const songId = await firstSongId(app)
  await rateSong(app, songId, 4, alice.authorization)
  const anonymous = await app.inject({ method: 'DELETE', url: `/users/me/ratings/${songId}` })
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.headers['www-authenticate'], 'Bearer')
  t.equal((await app.inject({ method: 'DELETE', url: '/users/me/ratings/nope', headers: alice.authorization })).statusCode, 400)
  t.same(json(await app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, [4]))
})
