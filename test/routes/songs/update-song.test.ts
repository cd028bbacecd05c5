import t from 'tap'
import { reconcileLevelStats } from '../../../src/db/reconcile-level-stats.ts'
import { signUp } from '../../accounts.ts'
import { levelStatsAgainstSongs } from '../../catalog-state.ts'
import { termsAgainstSongs } from '../../catalog-terms.ts'
import { buildTestApp, isFerretDB, json, type TestApp } from '../../helper.ts'

/** A song as `GET /songs/:song_id` answers it: a list item without its rating. */
function withoutRating ({ rating, ...fields }: Record<string, unknown>) {
  return fields
}

async function firstSong (app: TestApp) {
  return withoutRating(json(await app.inject('/songs?limit=1')).items[0])
}

t.test('PATCH changes the given fields only; a change of level moves the song between levels, of difficulty changes the sum', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const song = await firstSong(app)
  const levelBefore = json(await app.inject(`/songs/avg/difficulty?level=${song.level}`))
  const moved = await app.inject({ method: 'PATCH', url: `/songs/${song.id}`, payload: { level: 1, difficulty: 2.25 }, headers: admin.authorization })
  t.equal(moved.statusCode, 200)
  t.same(json(moved), { ...song, level: 1, difficulty: 2.25 })
  t.same(json(await app.inject(`/songs/${song.id}`)), json(moved))
  t.equal(json(await app.inject(`/songs/avg/difficulty?level=${song.level}`)).songs, levelBefore.songs - 1, 'the old level has one song fewer')
  t.same(json(await app.inject('/songs/avg/difficulty?level=1')), { average_difficulty: 2.25, songs: 1, level: 1 }, 'the new level has it')
  const harder = await app.inject({ method: 'PATCH', url: `/songs/${song.id}`, payload: { difficulty: 4.75 }, headers: admin.authorization })
  t.equal(json(harder).difficulty, 4.75)
  t.same(json(await app.inject('/songs/avg/difficulty?level=1')), { average_difficulty: 4.75, songs: 1, level: 1 })
  t.ok((await levelStatsAgainstSongs(app)).every(level => level.exact), 'every level matches the songs')
})

t.test('a new title or artist is what search finds, and the old words no longer find it', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const song = json(await app.inject('/songs/search?message=alabama')).items[0]
  const renamed = await app.inject({ method: 'PATCH', url: `/songs/${song.id}`, payload: { title: 'Boreal Dawn' }, headers: admin.authorization })
  t.equal(renamed.statusCode, 200)
  t.same(json(await app.inject('/songs/search?message=alabama')).items, [], 'the old title finds nothing')
  t.same(json(await app.inject('/songs/search?message=boreal%20yousic')).items.map(withoutRating), [json(renamed)], 'the new title with the unchanged artist finds it')
  await app.inject({ method: 'PATCH', url: `/songs/${song.id}`, payload: { artist: 'Aurora Band' }, headers: admin.authorization })
  t.same(json(await app.inject('/songs/search?message=yousicians%20boreal')).items, [], 'the old artist finds nothing')
  t.equal(json(await app.inject('/songs/search?message=aurora%20dawn')).items.length, 1)
})

t.test('PATCH errors: empty body 400, bad fields 400, unknown song 404, a duplicate of another song 409; nothing changes', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const [a, b] = json(await app.inject('/songs?limit=2')).items
  const snapshot = JSON.stringify(await app.database.collections.songs.find().sort({ _id: 1 }).toArray())
  const empty = await app.inject({ method: 'PATCH', url: `/songs/${a.id}`, payload: {}, headers: admin.authorization })
  t.equal(empty.statusCode, 400)
  t.match(json(empty), { code: 'VALIDATION_FAILED', errors: [{ field: 'body' }] })
  const bad = await app.inject({ method: 'PATCH', url: `/songs/${a.id}`, payload: { level: 0, id: 'x' }, headers: admin.authorization })
  t.same(json(bad).errors.map((e: { field: string }) => e.field).sort(), ['body.id', 'body.level'])
  const missing = await app.inject({ method: 'PATCH', url: '/songs/0123456789abcdef01234567', payload: { level: 2 }, headers: admin.authorization })
  t.equal(missing.statusCode, 404)
  t.match(json(missing), { code: 'SONG_NOT_FOUND' })
  const missingRenamed = await app.inject({ method: 'PATCH', url: '/songs/0123456789abcdef01234567', payload: { title: 'X' }, headers: admin.authorization })
  t.equal(missingRenamed.statusCode, 404)
  const duplicate = await app.inject({ method: 'PATCH', url: `/songs/${a.id}`, payload: { artist: b.artist, title: b.title }, headers: admin.authorization })
  t.equal(duplicate.statusCode, 409)
  t.match(json(duplicate), { code: 'SONG_EXISTS' })
  t.equal(JSON.stringify(await app.database.collections.songs.find().sort({ _id: 1 }).toArray()), snapshot, 'no song changed')
  t.ok((await levelStatsAgainstSongs(app)).every(level => level.exact), 'nor the level stats')
})

t.test('concurrent changes of level and difficulty keep the level stats exact', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const songs = json(await app.inject('/songs?limit=100')).items
  // Each song is changed 4 times at once, all songs at once: every write's delta comes from the document it replaced.
  const patches = songs.flatMap((song: { id: string }, i: number) => [1, 2, 3, 4].map(n => ({ id: song.id, payload: { level: (i + n) % 3 + 1, difficulty: n * 1.5 + i } })))
  const answers = await Promise.all(patches.map((p: { id: string, payload: object }) => app.inject({ method: 'PATCH', url: `/songs/${p.id}`, payload: p.payload, headers: admin.authorization })))
  t.same(new Set(answers.map(a => a.statusCode)), new Set([200]))
  if (await isFerretDB(app.database.db)) {
    t.comment('FerretDB applies $inc as an unlocked read-modify-write, so concurrent updates of one level\'s stats can be lost there; ' +
      'exactness under concurrency is asserted on MongoDB only. Here the stats are checked after ratings:reconcile rebuilt them.')
    await reconcileLevelStats(app.database.collections)
  }
  const levels = await levelStatsAgainstSongs(app)
  t.same(levels.filter(level => !level.exact), [], 'every level\'s count and average match its songs')
  // Each song is listed in its level and difficulty orders where it is now (a leftover key of a lost race is skipped).
  t.same((await termsAgainstSongs(app.database.collections)).missing, [], 'every song has the order keys of its level and difficulty')
  for (const level of [1, 2, 3]) {
    const listed = json(await app.inject(`/songs?level=${level}&sort=difficulty&limit=100`)).items
    const stored = (await app.database.collections.songs.find({ level }).toArray()).sort((x, y) => x.difficulty - y.difficulty || (x._id.toHexString() < y._id.toHexString() ? -1 : 1))
    t.same(listed.map((item: { id: string }) => item.id), stored.map(song => song._id.toHexString()), `level ${level} lists exactly its songs, easiest first`)
  }
})
