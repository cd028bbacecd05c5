import type { AnyBulkWriteOperation, ObjectId } from 'mongodb'
import type { Collections } from './collections.ts'
import type { SongDocument, SongRatings } from './documents.ts'
import { withRatings } from './rating-summary.ts'
import { readByIds } from './read-batch.ts'
import { writeInBatches } from './write-batches.ts'

const BATCH = 1000

type StarCount = { _id: { song_id: ObjectId, rating: number }, n: number }
type Counted = SongRatings & { _id: ObjectId }

/**
 * Recomputes each song's rating counts (`rating`: count, sum, distribution) from the stored ratings, anonymous and by
 * users (the source of truth): for one song, or for every song. Repairs any divergence: a crash between storing a
 * rating and counting it, lost updates on servers without atomic `$inc` (FerretDB 1), a catalog upgraded from
 * before counts were kept on the songs (they were in `rating_summaries`, which nothing reads any more), counts
 * with no rating behind them (set to none), and ratings left behind by a deleted song (removed). Journaled
 * changes (`rating.pending`) are left to the journal. Returns how many songs it changed.
 */
export async function reconcileRatings ({ songs, ratings, userRatings }: Collections, songId?: ObjectId): Promise<number> {
  const rated = new Set<string>()
  let batch: Counted[] = []
  let changed = 0
  const write = async (operations: AnyBulkWriteOperation<SongDocument>[]) => {
    if (operations.length === 0) return
    changed += (await writeInBatches(songs, operations)).modified
  }
  const flush = async () => {
    const ids = batch.map(counted => counted._id)
    const existing = new Set((await readByIds(songs, ids, { projection: { _id: 1 } })).map(song => song._id.toHexString()))
    const orphans = ids.filter(id => !existing.has(id.toHexString()))
    if (orphans.length > 0) await Promise.all([ratings, userRatings].map(c => c.deleteMany({ song_id: { $in: orphans } })))
    await write(batch.filter(({ _id }) => existing.has(_id.toHexString())).map(({ _id, count, sum, distribution }) =>
      ({ updateOne: { filter: { _id }, update: { $set: { 'rating.count': count, 'rating.sum': sum, 'rating.distribution': distribution } } } })))
    batch = []
  }

  for await (const counted of countsFromRatings(ratings, userRatings, songId)) {
    rated.add(counted._id.toHexString())
    batch.push(counted)
    if (batch.length >= BATCH) await flush()
  }
  if (batch.length > 0) await flush()
  // Songs counted with ratings that are not stored: none. A scan of the songs by a cursor, as the counts above are.
  let unrated: AnyBulkWriteOperation<SongDocument>[] = []
  for await (const { _id, rating } of songs.find({ ...(songId && { _id: songId }), rating: { $exists: true } }, { projection: { 'rating.count': 1, 'rating.sum': 1, 'rating.distribution': 1 } })) {
    const counted = rating?.count || rating?.sum || Object.values(rating?.distribution ?? {}).some(n => n !== 0)
    if (counted && !rated.has(_id.toHexString())) unrated.push({ updateOne: { filter: { _id }, update: { $set: { 'rating.count': 0, 'rating.sum': 0, 'rating.distribution': {} } } } })
    if (unrated.length >= BATCH) {
      await write(unrated)
      unrated = []
    }
  }
  await write(unrated)
  return changed
}

/**
 * Counts computed from both kinds of ratings, song by song. The database counts each (song, stars) pair, at
 * most five rows a song and source, and the counts are folded from them here: portable to servers without
 * `$min`/`$max` accumulators or `$unionWith` (FerretDB), and as cheap as grouping by song alone.
 */
async function * countsFromRatings (ratings: Collections['ratings'], userRatings: Collections['userRatings'], songId?: ObjectId): AsyncGenerator<Counted> {
  const pipeline = [
    ...(songId ? [{ $match: { song_id: songId } }] : []),
    { $group: { _id: { song_id: '$song_id', rating: '$rating' }, n: { $sum: 1 } } },
    { $sort: { '_id.song_id': 1 } }
  ]
  const counts = mergeBySong(
    ratings.aggregate<StarCount>(pipeline, { allowDiskUse: true }),
    userRatings.aggregate<StarCount>(pipeline, { allowDiskUse: true })
  )
  let current: Counted | undefined
  for await (const { _id: { song_id: song, rating }, n } of counts) {
    if (current && !current._id.equals(song)) {
      yield current
      current = undefined
    }
    current = { _id: song, ...withRatings(current, rating, n) }
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
