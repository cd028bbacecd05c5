import { ObjectId } from 'mongodb'
import t from 'tap'
import { reconcileRatings } from '../../src/db/reconcile-ratings.ts'
import { buildTestApp } from '../helper.ts'
import { moreSongs } from '../rated-account.ts'

t.test('past its batches: every song of 1,200 counts exactly its stored ratings, anonymous and by a user', async t => {
  // About 15 ms a song's update on FerretDB 1 (it rewrites the whole song): about a minute here beside other work.
  t.setTimeout(600_000)
  const app = await buildTestApp(t)
  const songIds = await moreSongs(app, 1_200)
  const { songs, ratings, userRatings } = app.database.collections
  // Anonymous ratings of some, and a user's rating of every one (stored only: the counts go next in any case).
  const user = new ObjectId()
  await userRatings.insertMany(songIds.map((song, i) => ({ _id: new ObjectId(), user_id: user, song_id: song, rating: 1 + i % 5, rated_at: new Date(), order: new ObjectId() })))
  // Counts lost on every song, as if they had never been kept on the songs.
  await songs.updateMany({}, { $unset: { rating: '' } })
  const stars = new Map<string, number[]>(songIds.map(id => [id.toHexString(), []]))
  for (const collection of [ratings, userRatings]) {
    for await (const { song_id: song, rating } of collection.find({}, { projection: { song_id: 1, rating: 1 } })) stars.get(song.toHexString())?.push(rating)
  }
  const changed = await reconcileRatings(app.database.collections)
  const rated = [...stars.values()].filter(given => given.length > 0).length
  t.ok(rated > 1000, `more rated songs (${rated}) than one batch (1,000) of its counts`)
  t.equal(changed, rated, 'each rated song corrected once')
  // The oracle: each song's stored ratings, counted here one by one, against its counts.
  const wrong: string[] = []
  for await (const { _id: id, rating: answered } of songs.find({ _id: { $in: songIds } }, { projection: { rating: 1 } })) {
    const given = stars.get(id.toHexString())!
    const distributionRight = [1, 2, 3, 4, 5].every(stars => (answered?.distribution?.[`${stars}` as '1'] ?? 0) === given.filter(g => g === stars).length)
    if ((answered?.count ?? 0) !== given.length || (answered?.sum ?? 0) !== given.reduce((x, y) => x + y, 0) || !distributionRight) wrong.push(`${id.toHexString()}: ${JSON.stringify(answered)} for ${given.join(',')}`)
  }
  t.same(wrong, [], 'every song counts exactly its stored ratings')
})
