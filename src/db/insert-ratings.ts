import type { AnyBulkWriteOperation } from 'mongodb'
import type { Collections } from './collections.ts'
import type { RatingDocument, SongDocument, SongRatings } from './documents.ts'
import { foldIntoSummary, withRatings } from './rating-summary.ts'
import { insertSkippingDuplicates } from './unique-writes.ts'
import { writeInBatches } from './write-batches.ts'

/**
 * Bulk-loads ratings, then folds those inserted into their songs' counts with the same atomic `$inc` a posted
 * rating uses, one update per song. A rating already there (same `_id`) is skipped and not counted again, so a
 * load can be run again. A crash between the two writes leaves what `npm run ratings:reconcile` repairs. Returns
 * how many ratings it inserted.
 */
export async function insertRatings ({ ratings, songs }: Collections, newRatings: RatingDocument[]): Promise<number> {
  if (newRatings.length === 0) return 0
  const skipped = await insertSkippingDuplicates(ratings, newRatings)
  const perSong = new Map<string, { song: RatingDocument['song_id'], ratings: SongRatings }>()
  newRatings.forEach(({ song_id: song, rating }, index) => {
    if (skipped.has(index)) return
    const key = song.toHexString()
    perSong.set(key, { song, ratings: withRatings(perSong.get(key)?.ratings, rating) })
  })
  const operations: AnyBulkWriteOperation<SongDocument>[] = [...perSong.values()].map(({ song, ratings: { distribution } }) =>
    ({ updateOne: { filter: { _id: song }, update: foldIntoSummary(distribution)! } }))
  if (operations.length > 0) await writeInBatches(songs, operations)
  return newRatings.length - skipped.size
}
