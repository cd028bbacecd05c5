// npm run ratings:reconcile [-- SONG_ID]: recomputes rating summaries from the stored ratings and, for all
// songs, the per-level difficulty stats from the songs.
import { MongoClient, ObjectId } from 'mongodb'
import { loadConfig } from '../config.ts'
import { collections } from '../db/collections.ts'
import { reconcileLevelStats } from '../db/reconcile-level-stats.ts'
import { reconcileRatings } from '../db/reconcile-ratings.ts'

const config = loadConfig()
const songId = process.argv[2]
if (songId !== undefined && !ObjectId.isValid(songId)) {
  console.error(`Not a song id: ${JSON.stringify(songId)} (expected 24 hexadecimal characters)`)
  process.exit(2)
}
const client = await MongoClient.connect(config.mongodbUrl, { serverSelectionTimeoutMS: 5000 })
try {
  const all = collections(client.db(config.databaseName))
  const changed = await reconcileRatings(all, songId === undefined ? undefined : new ObjectId(songId))
  console.log(`Reconciled ${songId ?? 'all songs'}: ${changed} summaries corrected`)
  if (songId === undefined) console.log(`Level stats: ${await reconcileLevelStats(all)} levels corrected`)
} finally {
  await client.close()
}
