import t from 'tap'
import { buildTestApp, json, seedSongs } from '../../helper.ts'

t.test('GET /songs/avg/difficulty averages the whole catalog and each level', async t => {
  const app = await buildTestApp(t)
  const songs = await seedSongs
  const average = (list: typeof songs) => list.reduce((sum, song) => sum + song.difficulty, 0) / list.length

  const all = json(await app.inject('/songs/avg/difficulty'))
  t.equal(all.songs, songs.length)
  t.equal(all.level, null)
  t.ok(Math.abs(all.average_difficulty - average(songs)) < 1e-9, `${all.average_difficulty} ≈ ${average(songs)}`)

  for (const level of new Set(songs.map(song => song.level))) {
    const ofLevel = songs.filter(song => song.level === level)
    const response = await app.inject(`/songs/avg/difficulty?level=${level}`)
    t.equal(response.statusCode, 200)
    const body = json(response)
    t.equal(body.level, level)
    t.equal(body.songs, ofLevel.length)
    t.ok(Math.abs(body.average_difficulty - average(ofLevel)) < 1e-9, `level ${level}`)
  }
})

t.test('a level without songs gives null and 0', async t => {
  const app = await buildTestApp(t)
  t.same(json(await app.inject('/songs/avg/difficulty?level=2')), { average_difficulty: null, songs: 0, level: 2 })
  t.same(json(await app.inject('/songs/avg/difficulty?level=1000')), { average_difficulty: null, songs: 0, level: 1000 })
})

t.test('a level that is not a whole number of at least 1 is a 400 problem', async t => {
  const app = await buildTestApp(t)
  for (const query of ['level=0', 'level=-3', 'level=1.5', 'level=abc', 'level=', 'level=1e400', 'level=-1e400', 'level=1001', 'other=1']) {
    const response = await app.inject(`/songs/avg/difficulty?${query}`)
    t.equal(response.statusCode, 400, query)
    t.match(json(response), { code: 'VALIDATION_FAILED' }, query)
  }
})
