import { ObjectId } from 'mongodb'
import t from 'tap'
import { bearer, signUp, withClaims } from '../../accounts.ts'
import { buildTestApp, json } from '../../helper.ts'
import { firstSongId, rateSong } from '../../rate-song.ts'

t.test('GET /users/me/ratings/:song_id answers the caller\'s rating; another user\'s stays out of reach', async t => {
  const app = await buildTestApp(t)
  const alice = await signUp(app)
  const bob = await signUp(app)
  const songId = await firstSongId(app)
  await rateSong(app, songId, 4, alice.authorization)
  const mine = await app.inject({ url: `/users/me/ratings/${songId}`, headers: alice.authorization })
  t.equal(mine.statusCode, 200)
  t.match(json(mine), { song_id: songId, rating: 4, rated_at: /Z$/ })
  t.same(Object.keys(json(mine)).sort(), ['rated_at', 'rating', 'song_id'], 'nothing about the user or the stored document')
  const bobs = await app.inject({ url: `/users/me/ratings/${songId}`, headers: bob.authorization })
  t.equal(bobs.statusCode, 404, 'bob has not rated it, whoever else has')
  t.match(json(bobs), { code: 'RATING_NOT_FOUND', detail: songId })
  // The only way to name another user would be a token with their id in `sub`: signed by this API, it cannot be forged.
  const forged = await app.inject({ url: `/users/me/ratings/${songId}`, headers: bearer(withClaims(bob.accessToken, { sub: alice.id })) })
  t.equal(forged.statusCode, 401, 'a token with another user\'s sub is rejected by its signature')
  t.notMatch(forged.body, /"rating"/)
})

t.test('unknown song 404, malformed id 400, no token 401', async t => {
  const app = await buildTestApp(t)
  const alice = await signUp(app)
  const unknown = await app.inject({ url: `/users/me/ratings/${new ObjectId().toHexString()}`, headers: alice.authorization })
  t.equal(unknown.statusCode, 404)
  t.match(json(unknown), { code: 'RATING_NOT_FOUND' })
  const malformed = await app.inject({ url: '/users/me/ratings/nope', headers: alice.authorization })
  t.equal(malformed.statusCode, 400)
  t.match(json(malformed), { errors: [{ field: 'params.song_id' }] })
  t.equal((await app.inject(`/users/me/ratings/${new ObjectId().toHexString()}`)).statusCode, 401)
})
