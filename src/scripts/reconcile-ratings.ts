// npm run ratings:reconcile [-- SONG_ID]: finishes the rating changes crashed requests left journaled, recomputes
// each song's rating counts from the stored ratings and, for all songs, the per-level difficulty stats from the songs.
import { MongoClient, ObjectId } from 'mongodb'
import { loadConfig } from '../config.ts'
import { collections } from '../db/collections.ts'
import { ensureIndexes } from '../db/indexes.ts'
import { reconcileLevelStats } from '../db/reconcile-level-stats.ts'
import { ratingJournal, settleAfterMs } from '../db/rating-journal.ts'
import { reconcileRatings } from '../db/reconcile-ratings.ts'

// Each of at most 100 songs: enough for any backlog a crash leaves, and bounded should an engine keep one alive.
const MAX_RECOVERY_BATCHES = 1000

const config = loadConfig()
const songId = process.argv[2]
if (songId !== undefined && !ObjectId.isValid(songId)) {
  console.error(`Not a song id: ${JSON.stringify(songId)} (expected 24 hexadecimal characters)`)
  process.exit(2)
}
const client = await MongoClient.connect(config.mongodbUrl, { serverSelectionTimeoutMS: 5000 })
try {
  const all = collections(client.db(config.databaseName))
  // The recovery pass below reads through an index a catalog written by an earlier version does not have yet.
  await ensureIndexes(all)
  // Journaled changes left behind are finished first (their ratings stored or their changes taken back), so that
  // what is recomputed from the stored ratings is not changed again by them afterwards.
  const journal = ratingJournal(all, { maxTimeMS: config.mongodbTimeoutMs, settleAfter: settleAfterMs(config.mongodbTimeoutMs) })
  let finished = 0
  for (let batch = 0; batch < MAX_RECOVERY_BATCHES; batch++) {
    const n = await journal.recover()
    if (n === 0) break
    finished += n
  }
  if (finished > 0) console.log(`Finished ${finished} journaled rating changes`)
  const changed = await reconcileRatings(all, songId === undefined ? undefined : new ObjectId(songId))
  console.log(`Reconciled ${songId ?? 'all songs'}: ${changed} songs' rating counts corrected`)
  if (songId === undefined) console.log(`Level stats: ${await reconcileLevelStats(all)} levels corrected`)
} finally {
  await client.close()
}
