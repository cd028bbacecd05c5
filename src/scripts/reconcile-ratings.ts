// npm run ratings:reconcile [-- SONG_ID]: recomputes rating summaries from the stored ratings.
import { MongoClient, ObjectId } from 'mongodb'
import { loadConfig } from '../config.ts'
import { collections } from '../db/collections.ts'
import { reconcileRatings } from '../db/reconcile-ratings.ts'

const config = loadConfig()
const songId = process.argv[2]
if (songId !== undefined && !ObjectId.isValid(songId)) {
  console.error(`Not a song id: ${JSON.stringify(songId)} (expected 24 hexadecimal characters)`)
  process.exit(2)
}
const client = await MongoClient.connect(config.mongodbUrl, { serverSelectionTimeoutMS: 5000 })
try {
  const changed = await reconcileRatings(collections(client.db(config.databaseName)), songId === undefined ? undefined : new ObjectId(songId))
  console.log(`Reconciled ${songId ?? 'all songs'}: ${changed} summaries corrected`)
} finally {
  await client.close()
}
