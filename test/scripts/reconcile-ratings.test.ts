import { ObjectId } from 'mongodb'
import t from 'tap'
import { expectedSummary } from '../expected-summary.ts'
import { runScript } from '../run-script.ts'
import { buildTestApp, json } from '../helper.ts'
import { rateSong } from '../rate-song.ts'

t.test('ratings:reconcile repairs songs\' counts that diverged from the stored ratings, anonymous and by users', async t => {
  const app = await buildTestApp(t)
  const [a, b, c] = json(await app.inject('/songs?limit=3')).items.map((song: { id: string }) => song.id)
  for (const [songId, rating] of [[a, 5], [a, 4], [b, 2]] as const) {
    t.equal((await rateSong(app, songId, rating)).statusCode, 201)
  }
  const { songs, ratings, userRatings } = app.database.collections
  // A crash between the two writes of a rating (one anonymous, one by a user), and counts without any rating behind them.
  await ratings.insertOne({ _id: new ObjectId(), song_id: new ObjectId(b), rating: 4, created_at: new Date() })
  await userRatings.insertOne({ _id: new ObjectId(), user_id: new ObjectId(), song_id: new ObjectId(b), rating: 1, rated_at: new Date(), order: new ObjectId() })
  await songs.updateOne({ _id: new ObjectId(a) }, { $set: { 'rating.count': 99, 'rating.distribution.1': 97 } })
  await songs.updateOne({ _id: new ObjectId(c) }, { $set: { rating: { count: 1, sum: 3, distribution: { 3: 1 } } } })

  const one = await runScript('src/scripts/reconcile-ratings.ts', [a], { MONGODB_URL: app.database.url })
  t.equal(one.code, 0, one.stderr)
  t.match(one.stdout, `Reconciled ${a}: 1 songs' rating counts corrected`)
  t.same(json(await app.inject(`/songs/avg/rating/${a}`)), expectedSummary(a, [5, 4]))
  t.same(json(await app.inject(`/songs/avg/rating/${b}`)), expectedSummary(b, [2]), 'other songs untouched')

  const all = await runScript('src/scripts/reconcile-ratings.ts', [], { MONGODB_URL: app.database.url })
  t.match(all.stdout, 'Reconciled all songs: 2 songs\' rating counts corrected')
  t.match(all.stdout, 'Level stats: 0 levels corrected', 'the level stats were right')
  t.same(json(await app.inject(`/songs/avg/rating/${b}`)), expectedSummary(b, [2, 4, 1]))
  t.same(json(await app.inject(`/songs/avg/rating/${c}`)), expectedSummary(c, []))

  const again = await runScript('src/scripts/reconcile-ratings.ts', [], { MONGODB_URL: app.database.url })
  t.match(again.stdout, 'Reconciled all songs: 0 songs\' rating counts corrected', 'a second run finds nothing to correct')
})

t.test('ratings:reconcile upgrades a catalog whose counts are in rating_summaries: each song counts its stored ratings', async t => {
  const app = await buildTestApp(t)
  const [a, b] = json(await app.inject('/songs?limit=2')).items.map((song: { id: string }) => song.id)
  const { ratings } = app.database.collections
  // As earlier versions stored them: ratings, and a summary of each rated song in a collection of its own (the
  // oldest with min/max and no distribution); nothing on the songs.
  const oldSummaries = app.mongo.client.db(app.config.databaseName).collection('rating_summaries')
  for (const [songId, stars] of [[a, [5, 3, 3]], [b, [2]]] as const) {
    await ratings.insertMany(stars.map(rating => ({ _id: new ObjectId(), song_id: new ObjectId(songId), rating, created_at: new Date() })))
    await oldSummaries.insertOne({ _id: new ObjectId(songId), count: stars.length, sum: stars.reduce((x, y) => x + y, 0), min: Math.min(...stars), max: Math.max(...stars) } as never)
  }
  // A rating through the new version before the upgrade's recount is counted on the song already, and again by it.
  t.same(json(await rateSong(app, b, 4)), expectedSummary(b, [4]), 'before the recount the song counts only what the new version took')
  const run = await runScript('src/scripts/reconcile-ratings.ts', [], { MONGODB_URL: app.database.url })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, 'Reconciled all songs: 2 songs\' rating counts corrected')
  t.same(json(await app.inject(`/songs/avg/rating/${a}`)), expectedSummary(a, [5, 3, 3]))
  t.same(json(await app.inject(`/songs/avg/rating/${b}`)), expectedSummary(b, [2, 4]))
  const listed = json(await app.inject('/songs?limit=2')).items.map((song: { rating: unknown }) => song.rating)
  t.same(listed, [{ average: 11 / 3, count: 3 }, { average: 3, count: 2 }], 'and a list page shows the same')
})

t.test('ratings:reconcile removes what a song deleted half-way left behind, and rebuilds the level stats', async t => {
  const app = await buildTestApp(t)
  const [a, b] = json(await app.inject('/songs?limit=2')).items.map((song: { id: string }) => song.id)
  for (const rating of [5, 2]) await rateSong(app, a, rating)
  await rateSong(app, b, 3)
  const { songs, ratings, levelStats } = app.database.collections
  const before = json(await app.inject('/songs/avg/difficulty'))
  // A crash right after the song itself was deleted: its ratings and level stats are still there.
  await songs.deleteOne({ _id: new ObjectId(a) })
  await levelStats.updateOne({ _id: 1 }, { $inc: { count: 7, sum: 70 } }, { upsert: true })
  const run = await runScript('src/scripts/reconcile-ratings.ts', [], { MONGODB_URL: app.database.url })
  t.equal(run.code, 0, run.stderr)
  t.equal(await ratings.countDocuments({ song_id: new ObjectId(a) }), 0, 'the deleted song\'s ratings are gone')
  t.same(json(await app.inject(`/songs/avg/rating/${b}`)), expectedSummary(b, [3]), 'other songs keep theirs')
  const after = json(await app.inject('/songs/avg/difficulty'))
  t.equal(after.songs, before.songs - 1, 'the level stats count the songs there are')
  t.match(run.stdout, /Level stats: [1-9]\d* levels corrected/)
})

t.test('ratings:reconcile refuses an argument that is not a song id', async t => {
  const run = await runScript('src/scripts/reconcile-ratings.ts', ['nope'], { MONGODB_URL: 'mongodb://127.0.0.1:1/x' })
  t.equal(run.code, 2)
  t.match(run.stderr, 'Not a song id: "nope"')
})

t.test('ratings:reconcile first finishes what a crash left journaled: the counted rating is stored, and counted once', async t => {
  const app = await buildTestApp(t)
  const songId: string = json(await app.inject('/songs?limit=1')).items[0].id
  t.equal((await rateSong(app, songId, 3)).statusCode, 201)
  await app.ratingsRepository.flush()
  // What a request that crashed right after its song's write leaves: a rating of 5 counted and journaled, not stored.
  const ratingId = new ObjectId()
  const crashedAt = new Date(Date.now() - 3_600_000)
  await app.database.collections.songs.updateOne({ _id: new ObjectId(songId) }, {
    $inc: { 'rating.count': 1, 'rating.sum': 5, 'rating.distribution.5': 1 },
    $push: { 'rating.pending': { op: ratingId, at: crashedAt, rating_id: ratingId, stars: 5 } }
  })
  const run = await runScript('src/scripts/reconcile-ratings.ts', [], { MONGODB_URL: app.database.url })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, 'Finished 1 journaled rating changes')
  t.match(run.stdout, 'Reconciled all songs: 0 songs\' rating counts corrected', 'the journal had counted it right')
  t.same(await app.database.collections.ratings.findOne({ _id: ratingId }), { _id: ratingId, song_id: new ObjectId(songId), rating: 5, created_at: crashedAt }, 'the rating is stored')
  t.same(json(await app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, [3, 5]))
  t.same((await app.database.collections.songs.findOne({ _id: new ObjectId(songId) }))?.rating?.pending, [], 'nothing left journaled')
})
