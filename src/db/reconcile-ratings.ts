import type { AnyBulkWriteOperation, ObjectId } from 'mongodb'
import type { Collections } from './collections.ts'
import type { RatingSummaryDocument } from './documents.ts'
import { withRatings } from './rating-summary.ts'
import { readByIds } from './read-batch.ts'
import { writeInBatches } from './write-batches.ts'

const BATCH = 1000

type StarCount = { _id: { song_id: ObjectId, rating: number }, n: number }

/**
 * Recomputes rating summaries, distributions included, from the stored ratings, anonymous and by users (the
 * source of truth): for one song, or for every song. Repairs any divergence: a crash between storing a
 * rating and updating its summary, lost updates on servers without atomic `$inc` (FerretDB), summaries
 * written before distributions (upgraded: `min`/`max` give way to the distribution), a summary with no rating
 * behind it (removed), and ratings left behind by a deleted song (removed with their summary). Returns how
 * many summaries it changed.
 */
export async function reconcileRatings ({ songs, ratings, userRatings, ratingSummaries }: Collections, songId?: ObjectId): Promise<number> {
  const rated = new Set<string>()
  let batch: RatingSummaryDocument[] = []
  let changed = 0
  const write = async (operations: AnyBulkWriteOperation<RatingSummaryDocument>[]) => {
    if (operations.length === 0) return
    const result = await writeInBatches(ratingSummaries, operations)
    changed += result.modified + result.upserted + result.deleted
  }
  const flush = async () => {
    const ids = batch.map(summary => summary._id)
    const existing = new Set((await readByIds(songs, ids, { projection: { _id: 1 } })).map(song => song._id.toHexString()))
    const orphans = ids.filter(id => !existing.has(id.toHexString()))
    if (orphans.length > 0) await Promise.all([ratings, userRatings].map(c => c.deleteMany({ song_id: { $in: orphans } })))
    await write(batch.map(({ _id, count, sum, distribution }) => existing.has(_id.toHexString())
      ? { updateOne: { filter: { _id }, update: { $set: { count, sum, distribution }, $unset: { min: '', max: '' } }, upsert: true } }
      : { deleteOne: { filter: { _id } } }))
    batch = []
  }

  for await (const summary of summariesFromRatings(ratings, userRatings, songId)) {
    rated.add(summary._id.toHexString())
    batch.push(summary)
    if (batch.length >= BATCH) await flush()
  }
  if (batch.length > 0) await flush()
  let unrated: AnyBulkWriteOperation<RatingSummaryDocument>[] = []
  for await (const { _id } of ratingSummaries.find(songId ? { _id: songId } : {}, { projection: { _id: 1 } })) {
    if (!rated.has(_id.toHexString())) unrated.push({ deleteOne: { filter: { _id } } })
    if (unrated.length >= BATCH) {
      await write(unrated)
      unrated = []
    }
  }
  await write(unrated)
  return changed
}

/**
 * Summaries computed from both kinds of ratings, song by song. The database counts each (song, stars) pair, at
 * most five rows a song and source, and the summary is folded from them here: portable to servers without
 * `$min`/`$max` accumulators or `$unionWith` (FerretDB), and as cheap as grouping by song alone.
 */
async function * summariesFromRatings (ratings: Collections['ratings'], userRatings: Collections['userRatings'], songId?: ObjectId): AsyncGenerator<RatingSummaryDocument> {
  const pipeline = [
    ...(songId ? [{ $match: { song_id: songId } }] : []),
    { $group: { _id: { song_id: '$song_id', rating: '$rating' }, n: { $sum: 1 } } },
    { $sort: { '_id.song_id': 1 } }
  ]
  const counts = mergeBySong(
    ratings.aggregate<StarCount>(pipeline, { allowDiskUse: true }),
    userRatings.aggregate<StarCount>(pipeline, { allowDiskUse: true })
  )
  let current: RatingSummaryDocument | undefined
  for await (const { _id: { song_id: song, rating }, n } of counts) {
    if (current && !current._id.equals(song)) {
      yield current
      current = undefined
    }
    current = withRatings(current, song, rating, n)
  }
  if (current) yield current
}

/** Two streams of counts, each in song order, as one stream in song order. */
async function * mergeBySong (a: AsyncIterable<StarCount>, b: AsyncIterable<StarCount>): AsyncGenerator<StarCount> {
  const left = a[Symbol.asyncIterator]()
  const right = b[Symbol.asyncIterator]()
  let [x, y] = await Promise.all([left.next(), right.next()])
  while (!x.done || !y.done) {
    if (y.done || (!x.done && x.value._id.song_id.toHexString() <= y.value._id.song_id.toHexString())) {
      yield x.value
      x = await left.next()
    } else {
      yield y.value
      y = await right.next()
    }
  }
}
