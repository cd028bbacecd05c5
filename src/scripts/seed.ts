// npm run seed [-- FILE]: loads songs (JSON Lines or a JSON array) into the catalog; running it again adds nothing.
import { MongoClient } from 'mongodb'
import { loadConfig } from '../config.ts'
import { collections } from '../db/collections.ts'
import { ensureIndexes } from '../db/indexes.ts'
import { exitOnDatabaseFailure } from '../db/start-failure.ts'
import { importSongs } from '../db/import-songs.ts'
import { buildSearchTerms } from '../db/search-terms.ts'
import { readSongFile } from '../db/song-file.ts'

const config = loadConfig()
const file = process.argv[2] ?? config.seedFile
const songs = await readSongFile(file)
const client = new MongoClient(config.mongodbUrl, { serverSelectionTimeoutMS: 5000 })
try {
  const all = collections(client.db(config.databaseName))
  await ensureIndexes(all)
  // A catalog from before search terms gets them first, so that every song is searchable after a seed.
  const built = await buildSearchTerms(all)
  if (built > 0) console.log(`${config.databaseName}: search terms built for ${built} songs`)
  const inserted = await importSongs(all, songs)
  console.log(`${file}: ${songs.length} songs read, ${inserted} new, ${songs.length - inserted} already in ${config.databaseName}`)
} catch (error) {
  await client.close()
  exitOnDatabaseFailure(error, config.mongodbUrl)
}
await client.close()
