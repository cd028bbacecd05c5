import type { AnyBulkWriteOperation, ObjectId } from 'mongodb'
import { withRatings, type Collections, type RatingSummaryDocument } from './collections.ts'

const BATCH = 1000

/**
 * Recomputes rating summaries from the stored ratings, the source of truth: for one song, or for every
 * song (a summary with no ratings behind it is removed). Repairs any divergence, such as a crash between
 * storing a rating and updating its summary. Returns how many summaries it changed.
 */
export async function reconcileRatings ({ ratings, ratingSummaries }: Collections, songId?: ObjectId): Promise<number> {
  const rated = new Set<string>()
  let batch: AnyBulkWriteOperation<RatingSummaryDocument>[] = []
  let changed = 0
  const flush = async () => {
    if (batch.length === 0) return
    const result = await ratingSummaries.bulkWrite(batch, { ordered: false })
    changed += result.modifiedCount + result.upsertedCount + result.deletedCount
    batch = []
  }
  const queue = async (operation: AnyBulkWriteOperation<RatingSummaryDocument>) => {
    batch.push(operation)
    if (batch.length >= BATCH) await flush()
  }

  for await (const { _id, count, sum, min, max } of summariesFromRatings(ratings, songId)) {
    rated.add(_id.toHexString())
    await queue({ updateOne: { filter: { _id }, update: { $set: { count, sum, min, max } }, upsert: true } })
  }
  for await (const { _id } of ratingSummaries.find(songId ? { _id: songId } : {}, { projection: { _id: 1 } })) {
    if (!rated.has(_id.toHexString())) await queue({ deleteOne: { filter: { _id } } })
  }
  await flush()
  return changed
}

/**
 * Summaries computed from the ratings, song by song. The database counts each (song, stars) pair, at most
 * five rows a song, and the summary is folded from them here: portable to servers without `$min`/`$max`
 * accumulators (FerretDB), and as cheap as grouping by song alone.
 */
async function * summariesFromRatings (ratings: Collections['ratings'], songId?: ObjectId): AsyncGenerator<RatingSummaryDocument> {
  const counts = ratings.aggregate<{ _id: { song_id: ObjectId, rating: number }, n: number }>([
    ...(songId ? [{ $match: { song_id: songId } }] : []),
    { $group: { _id: { song_id: '$song_id', rating: '$rating' }, n: { $sum: 1 } } },
    { $sort: { '_id.song_id': 1 } }
  ], { allowDiskUse: true })
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
