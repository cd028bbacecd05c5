import { ObjectId } from 'mongodb'
import t from 'tap'
import { reconcileRatings } from '../../src/db/reconcile-ratings.ts'
import { buildTestApp } from '../helper.ts'
import { giveRatings, moreSongs } from '../rated-account.ts'

t.test('past its batches: every song of 1,200 counts exactly its stored ratings, anonymous and by a user', async t => {
  // About 15 ms a song's update on FerretDB 1 (it rewrites the whole song); three times that for a busy machine.
  t.setTimeout(300_000)
  const app = await buildTestApp(t)
  const songIds = await moreSongs(app, 1_200)
  // Anonymous ratings of some, and a user's rating of every one: both kinds merged song by song.
  await giveRatings(app, new ObjectId(), songIds)
  const { songs, ratings, userRatings } = app.database.collections
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
  for (const id of songIds) {
    const given = stars.get(id.toHexString())!
    const answered = (await songs.findOne({ _id: id }, { projection: { rating: 1 } }))?.rating
    if ((answered?.count ?? 0) !== given.length || (answered?.sum ?? 0) !== given.reduce((x, y) => x + y, 0)) wrong.push(`${id.toHexString()}: ${JSON.stringify(answered)} for ${given.join(',')}`)
  }
  t.same(wrong, [], 'every song counts exactly its stored ratings')
})
