import t from 'tap'
import { expectedSummary } from '../../expected-summary.ts'
import { buildTestApp, json } from '../../helper.ts'
import { firstSongId, rateSong } from '../../rate-song.ts'

t.test('GET /songs/avg/rating/:song_id before any rating gives nulls and 0', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  const response = await app.inject(`/songs/avg/rating/${songId}`)
  t.equal(response.statusCode, 200)
  t.same(json(response), { song_id: songId, average: null, lowest: null, highest: null, count: 0, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } })
})

t.test('the summary covers only that song\'s ratings', async t => {
  const app = await buildTestApp(t)
  const [a, b] = json(await app.inject('/songs?limit=2')).items.map((song: { id: string }) => song.id)
  for (const [songId, rating] of [[a, 5], [a, 3], [b, 1]] as const) {
    await rateSong(app, songId, rating)
  }
  t.same(json(await app.inject(`/songs/avg/rating/${a}`)), expectedSummary(a, [5, 3]))
  t.same(json(await app.inject(`/songs/avg/rating/${b}`)), expectedSummary(b, [1]))
})

t.test('an unknown song is a 404 problem; a malformed id a 400 problem', async t => {
  const app = await buildTestApp(t)
  const missing = await app.inject('/songs/avg/rating/0123456789abcdef01234567')
  t.equal(missing.statusCode, 404)
  t.match(json(missing), { code: 'SONG_NOT_FOUND', status: 404 })
  for (const id of ['123', 'zzzzzzzzzzzzzzzzzzzzzzzz', '0123456789ABCDEF01234567', '0123456789abcdef012345670']) {
    const response = await app.inject(`/songs/avg/rating/${id}`)
    t.equal(response.statusCode, 400, id)
    t.match(json(response), { code: 'VALIDATION_FAILED', errors: [{ field: 'params.song_id' }] }, id)
  }
})
