import { ObjectId } from 'mongodb'
import t from 'tap'
import { runScript } from '../run-script.ts'
import { buildTestApp, json } from '../helper.ts'

t.test('ratings:reconcile repairs summaries that diverged from the stored ratings', async t => {
  const app = await buildTestApp(t)
  const [a, b, c] = json(await app.inject('/songs?limit=3')).items.map((song: { id: string }) => song.id)
  for (const [songId, rating] of [[a, 5], [a, 4], [b, 2]] as const) {
    t.equal((await app.inject({ method: 'POST', url: '/songs/rating', payload: { song_id: songId, rating } })).statusCode, 201)
  }
  const { ratingSummaries, ratings } = app.database.collections
  // A crash between the two writes of a rating, and a summary left without any rating behind it.
  await ratings.insertOne({ _id: new ObjectId(), song_id: new ObjectId(b), rating: 4, created_at: new Date() })
  await ratingSummaries.updateOne({ _id: new ObjectId(a) }, { $set: { count: 99, min: 0 } })
  await ratingSummaries.insertOne({ _id: new ObjectId(c), count: 1, sum: 3, min: 3, max: 3 })

  const one = await runScript('src/scripts/reconcile-ratings.ts', [a], { MONGODB_URL: app.database.url })
  t.equal(one.code, 0, one.stderr)
  t.match(one.stdout, `Reconciled ${a}: 1 summaries corrected`)
  t.same(json(await app.inject(`/songs/avg/rating/${a}`)), { song_id: a, average: 4.5, lowest: 4, highest: 5, count: 2 })
  t.same(json(await app.inject(`/songs/avg/rating/${b}`)), { song_id: b, average: 2, lowest: 2, highest: 2, count: 1 }, 'other songs untouched')

  const all = await runScript('src/scripts/reconcile-ratings.ts', [], { MONGODB_URL: app.database.url })
  t.match(all.stdout, 'Reconciled all songs: 2 summaries corrected')
  t.same(json(await app.inject(`/songs/avg/rating/${b}`)), { song_id: b, average: 3, lowest: 2, highest: 4, count: 2 })
  t.same(json(await app.inject(`/songs/avg/rating/${c}`)), { song_id: c, average: null, lowest: null, highest: null, count: 0 })

  const again = await runScript('src/scripts/reconcile-ratings.ts', [], { MONGODB_URL: app.database.url })
  t.match(again.stdout, 'Reconciled all songs: 0 summaries corrected', 'a second run finds nothing to correct')
})

t.test('ratings:reconcile refuses an argument that is not a song id', async t => {
  const run = await runScript('src/scripts/reconcile-ratings.ts', ['nope'], { MONGODB_URL: 'mongodb://127.0.0.1:1/x' })
  t.equal(run.code, 2)
  t.match(run.stderr, 'Not a song id: "nope"')
})
