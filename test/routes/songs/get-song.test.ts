import t from 'tap'
import { buildTestApp, json, seedSongs } from '../../helper.ts'

t.test('GET /songs/:song_id answers the song as the list has it', async t => {
  const app = await buildTestApp(t)
  // A list item is the song with its rating.
  const [{ rating, ...first }] = json(await app.inject('/songs?limit=1')).items
  t.same(rating, { average: null, count: 0 })
  const response = await app.inject(`/songs/${first.id}`)
  t.equal(response.statusCode, 200)
  t.same(json(response), first)
  const { id, ...fields } = json(response)
  t.ok((await seedSongs).some(song => JSON.stringify(song) === JSON.stringify(fields)), 'a song of the seed file, field for field')
})

t.test('an unknown song is a 404 problem; a malformed id a 400 problem', async t => {
  const app = await buildTestApp(t)
  const missing = await app.inject('/songs/0123456789abcdef01234567')
  t.equal(missing.statusCode, 404)
  t.match(json(missing), { code: 'SONG_NOT_FOUND', status: 404, detail: /0123456789abcdef01234567/ })
  for (const id of ['123', 'zzzzzzzzzzzzzzzzzzzzzzzz', '0123456789ABCDEF01234567', '0123456789abcdef012345670']) {
    const response = await app.inject(`/songs/${id}`)
    t.equal(response.statusCode, 400, id)
    t.match(json(response), { code: 'VALIDATION_FAILED', errors: [{ field: 'params.song_id' }] }, id)
  }
})

t.test('the static routes beside it still win: search, averages, rating', async t => {
  const app = await buildTestApp(t)
  t.match(json(await app.inject('/songs/search?message=alabama')), { items: [{ title: 'Alabama Sunrise' }] })
  t.match(json(await app.inject('/songs/avg/difficulty')), { songs: 11 })
  const rating = await app.inject('/songs/rating')
  t.equal(rating.statusCode, 405, 'GET /songs/rating is the rating route\'s 405, not a song id')
  t.equal(rating.headers.allow, 'POST')
  const search = await app.inject('/songs/search')
  t.equal(search.statusCode, 400, '/songs/search without a message is the search route\'s 400')
  t.match(json(search), { errors: [{ field: 'querystring.message' }] })
})
