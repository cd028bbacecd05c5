import { ObjectId } from 'mongodb'
import t from 'tap'
import { signUp } from '../../accounts.ts'
import { levelStatsAgainstSongs } from '../../catalog-state.ts'
import { buildTestApp, json } from '../../helper.ts'
import { firstSongId, rateSong } from '../../rate-song.ts'

t.test('DELETE removes the song from every read, with its ratings, user ratings and summary; a second delete is a 404', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const user = await signUp(app)
  const song = json(await app.inject('/songs/search?message=alabama')).items[0]
  const otherId = await firstSongId(app)
  await rateSong(app, song.id, 2)
  await rateSong(app, song.id, 5, user.authorization)
  await rateSong(app, otherId, 4, user.authorization)
  const catalogBefore = json(await app.inject('/songs/avg/difficulty'))

  const deleted = await app.inject({ method: 'DELETE', url: `/songs/${song.id}`, headers: admin.authorization })
  t.equal(deleted.statusCode, 204)
  t.equal(deleted.body, '')
  t.equal((await app.inject(`/songs/${song.id}`)).statusCode, 404, 'GET by id')
  t.notOk(json(await app.inject('/songs?limit=100')).items.some((s: { id: string }) => s.id === song.id), 'not listed')
  t.same(json(await app.inject('/songs/search?message=alabama')).items, [], 'not found by search')
  t.equal(json(await app.inject('/songs/avg/difficulty')).songs, catalogBefore.songs - 1, 'not averaged')
  t.ok((await levelStatsAgainstSongs(app)).every(level => level.exact), 'every level matches the songs')
  t.equal((await app.inject(`/songs/avg/rating/${song.id}`)).statusCode, 404, 'no rating summary')
  const { ratings, userRatings } = app.database.collections
  const songId = new ObjectId(song.id)
  t.equal(await ratings.countDocuments({ song_id: songId }), 0, 'anonymous ratings removed')
  t.equal(await userRatings.countDocuments({ song_id: songId }), 0, 'user ratings removed')
  t.same(json(await app.inject({ url: '/users/me/ratings', headers: user.authorization })).items.map((r: { song_id: string }) => r.song_id), [otherId], 'the user keeps their other ratings')
  t.equal((await rateSong(app, song.id, 3)).statusCode, 404, 'a deleted song cannot be rated')

  const again = await app.inject({ method: 'DELETE', url: `/songs/${song.id}`, headers: admin.authorization })
  t.equal(again.statusCode, 404)
  t.match(json(again), { code: 'SONG_NOT_FOUND' })
  const malformed = await app.inject({ method: 'DELETE', url: '/songs/nope', headers: admin.authorization })
  t.equal(malformed.statusCode, 400)
})
