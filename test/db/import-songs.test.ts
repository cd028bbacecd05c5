import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { ensureIndexes } from '../../src/db/indexes.ts'
import { importSongs } from '../../src/db/import-songs.ts'
import { isFerretDB, seedSongs, testConfig, testDatabase } from '../helper.ts'

t.test('importing the same songs twice inserts them once and counts them once', async t => {
  const { collections } = await testDatabase(t)
  await ensureIndexes(collections)
  const songs = await seedSongs
  t.equal(await importSongs(collections, songs), 11)
  t.equal(await importSongs(collections, songs), 0)
  t.equal(await collections.songs.countDocuments(), 11)
  const stats = await collections.levelStats.find().toArray()
  t.equal(stats.reduce((n, s) => n + s.count, 0), 11, 'level stats count each song once')
  t.equal(await importSongs(collections, []), 0)
})

t.test('an import of songs partly there adds exactly the new ones to the level stats', async t => {
  const { collections } = await testDatabase(t)
  await ensureIndexes(collections)
  const songs = await seedSongs
  // The first song there already: the others' upserts are then numbered differently from the operations on FerretDB 1.
  t.equal(await importSongs(collections, songs.slice(0, 1)), 1)
  t.equal(await importSongs(collections, songs), songs.length - 1)
  const levels = await collections.levelStats.find().toArray()
  for (const level of new Set(songs.map(song => song.level))) {
    const ofLevel = songs.filter(song => song.level === level)
    const stats = levels.find(stats => stats._id === level)
    t.equal(stats?.count, ofLevel.length, `level ${level} counts its ${ofLevel.length} songs`)
    t.ok(Math.abs(stats!.sum - ofLevel.reduce((sum, song) => sum + song.difficulty, 0)) < 1e-9, `level ${level} sum`)
  }
})

t.test('several servers starting at once on an empty database seed it once', async t => {
  const { url, db, collections } = await testDatabase(t)
  const config = testConfig({ MONGODB_URL: url })
  const apps = await Promise.all([1, 2, 3, 4].map(() => buildApp(config, { logger: false })))
  t.teardown(() => Promise.all(apps.map(app => app.close())))
  const songs = await seedSongs
  t.equal(await collections.songs.countDocuments(), songs.length, 'no song is duplicated')
  if (await isFerretDB(db)) {
    // Each level's stats are $inc'ed by whichever servers inserted its songs, possibly at the same moment.
    t.comment('Level stats under concurrent seeding are checked on MongoDB only: FerretDB applies $inc as an ' +
      'unlocked read-modify-write, so two servers adding to one level at once can lose an increment there.')
    return
  }
  const stats = await collections.levelStats.find().sort({ _id: 1 }).toArray()
  const expected = new Map<number, { count: number, sum: number }>()
  for (const song of songs) {
    const s = expected.get(song.level) ?? { count: 0, sum: 0 }
    expected.set(song.level, { count: s.count + 1, sum: s.sum + song.difficulty })
  }
  t.equal(stats.length, expected.size)
  for (const { _id, count, sum } of stats) {
    t.equal(count, expected.get(_id)?.count, `level ${_id} count`)
    t.ok(Math.abs(sum - expected.get(_id)!.sum) < 1e-9, `level ${_id} sum`)
  }
})
