import t from 'tap'
import { signUp } from '../../accounts.ts'
import { levelStatsAgainstSongs } from '../../catalog-state.ts'
import { buildTestApp, json } from '../../helper.ts'

const NEW_SONG = { artist: 'Nina Virtanen', title: 'Northern Lights', difficulty: 7.5, level: 8, released: '2024-03-15' }

t.test('an admin adds a song: 201 with Location, and it is readable, listed, searchable and averaged at once', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const before = json(await app.inject('/songs/avg/difficulty?level=8'))
  const response = await app.inject({ method: 'POST', url: '/songs', payload: NEW_SONG, headers: admin.authorization })
  t.equal(response.statusCode, 201)
  const song = json(response)
  t.match(song, { ...NEW_SONG, id: /^[0-9a-f]{24}$/ })
  t.equal(response.headers.location, `/songs/${song.id}`)
  t.same(json(await app.inject(response.headers.location as string)), song)
  t.same(json(await app.inject('/songs/search?message=northern%20virt')).items, [{ ...song, rating: { average: null, count: 0 } }])
  const all = json(await app.inject('/songs?limit=100')).items
  t.ok(all.some((listed: { id: string }) => listed.id === song.id), 'listed')
  const after = json(await app.inject('/songs/avg/difficulty?level=8'))
  t.equal(after.songs, before.songs + 1)
  t.ok((await levelStatsAgainstSongs(app)).every(level => level.exact), 'level stats match the songs')
})

t.test('the same artist and title again is a 409 SONG_EXISTS and adds nothing; a case variant is another song', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const seeded = json(await app.inject('/songs?limit=1')).items[0]
  const count = await app.database.collections.songs.countDocuments()
  const again = await app.inject({ method: 'POST', url: '/songs', payload: { ...NEW_SONG, artist: seeded.artist, title: seeded.title }, headers: admin.authorization })
  t.equal(again.statusCode, 409)
  t.match(json(again), { status: 409, code: 'SONG_EXISTS', detail: seeded.title })
  t.equal(await app.database.collections.songs.countDocuments(), count)
  t.ok((await levelStatsAgainstSongs(app)).every(level => level.exact), 'a refused song is not counted')
  // Exact comparison, as the seed's dedupe: a different case is a different song.
  const upper = await app.inject({ method: 'POST', url: '/songs', payload: { ...NEW_SONG, artist: seeded.artist, title: seeded.title.toUpperCase() }, headers: admin.authorization })
  t.equal(upper.statusCode, 201)
})

t.test('invalid details are a 400 VALIDATION_FAILED listing each bad field, and add nothing', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const count = await app.database.collections.songs.countDocuments()
  const response = await app.inject({
    method: 'POST',
    url: '/songs',
    payload: { artist: '', title: 'x'.repeat(201), difficulty: -1, level: 0, released: '2024-13-01', extra: 1 },
    headers: admin.authorization
  })
  t.equal(response.statusCode, 400)
  const fields = json(response).errors.map((error: { field: string }) => error.field).sort()
  t.same(fields, ['body.artist', 'body.difficulty', 'body.extra', 'body.level', 'body.released', 'body.title'])
  const missing = await app.inject({ method: 'POST', url: '/songs', payload: { artist: 'A' }, headers: admin.authorization })
  t.same(json(missing).errors.map((error: { field: string }) => error.field).sort(), ['body.difficulty', 'body.level', 'body.released', 'body.title'])
  // Days that no calendar has are refused too: a song's date is read back as a `date` by every client.
  for (const payload of [{ ...NEW_SONG, difficulty: '7' }, { ...NEW_SONG, level: 2.5 }, { ...NEW_SONG, artist: { $gt: '' } }, { ...NEW_SONG, difficulty: 1001 }, { ...NEW_SONG, released: '2024-02-31' }, { ...NEW_SONG, released: '2023-02-29' }]) {
    const bad = await app.inject({ method: 'POST', url: '/songs', payload, headers: admin.authorization })
    t.equal(bad.statusCode, 400, JSON.stringify(payload))
  }
  t.equal(await app.database.collections.songs.countDocuments(), count)
})
