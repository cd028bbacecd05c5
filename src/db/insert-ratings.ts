import type { AnyBulkWriteOperation } from 'mongodb'
import type { Collections } from './collections.ts'
import type { RatingDocument, RatingSummaryDocument } from './documents.ts'
import { foldIntoSummary, withRatings } from './rating-summary.ts'
import { insertSkippingDuplicates } from './unique-writes.ts'
import { writeInBatches } from './write-batches.ts'

/**
 * Bulk-loads ratings, then folds those inserted into their songs' summaries. A summary that does not exist
 * yet is inserted whole (a plain insert, far cheaper than an upsert on servers that scan for it, and no racing
 * upsert that could lose increments); one that exists gets the same atomic `$inc` a posted rating uses. A rating already there (same `_id`) is skipped and
 * not counted again, so a load can be run again. A crash between the two writes leaves what
 * `npm run ratings:reconcile` repairs. Returns how many ratings it inserted.
 */
export async function insertRatings ({ ratings, ratingSummaries }: Collections, newRatings: RatingDocument[]): Promise<number> {
  if (newRatings.length === 0) return 0
  const skipped = await insertSkippingDuplicates(ratings, newRatings)
  const perSong = new Map<string, RatingSummaryDocument>()
  newRatings.forEach(({ song_id: songId, rating }, index) => {
    if (skipped.has(index)) return
    const key = songId.toHexString()
    perSong.set(key, withRatings(perSong.get(key), songId, rating))
  })
  const summaries = [...perSong.values()]
  const existing = await insertSkippingDuplicates(ratingSummaries, summaries)
  if (existing.size > 0) {
    const operations: AnyBulkWriteOperation<RatingSummaryDocument>[] = [...existing].map(index => {
      const { _id, distribution } = summaries[index]!
      return { updateOne: { filter: { _id }, update: foldIntoSummary(distribution)! } }
    })
    await writeInBatches(ratingSummaries, operations)
  }
  return newRatings.length - skipped.size
}
