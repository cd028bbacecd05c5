// npm run search:build: writes the search terms of every song that has none, with a progress bar on stderr. Run it
// once when upgrading a catalog from before search terms, before the new version serves; stopped, it goes on where
// it was when run again, and once built it only covers the songs added since its last run.
import { SingleBar } from 'cli-progress'
import { MongoClient } from 'mongodb'
import { loadConfig } from '../config.ts'
import { collections } from '../db/collections.ts'
import { ensureIndexes } from '../db/indexes.ts'
import { buildSearchTerms } from '../db/search-terms.ts'
import { exitOnDatabaseFailure } from '../db/start-failure.ts'

const config = loadConfig()
const client = new MongoClient(config.mongodbUrl, { serverSelectionTimeoutMS: 5000 })
// Off a terminal (a log file, a deploy task), a line every 10 s instead of a redrawn bar.
const bar = new SingleBar({ format: 'songs [{bar}] {value}/{total} | elapsed {duration_formatted} | ETA {eta_formatted}', noTTYOutput: true, notTTYSchedule: 10_000, etaBuffer: 50 })
let started = false
try {
  const all = collections(client.db(config.databaseName))
  await ensureIndexes(all)
  const read = await buildSearchTerms(all, {
    onProgress ({ total, done }) {
      if (!started) bar.start(total, done)
      started = true
      bar.setTotal(total)
      bar.update(done)
    }
  })
  if (started) bar.stop()
  console.log(`${config.databaseName}: search terms built; ${read} songs read`)
} catch (error) {
  if (started) bar.stop()
  await client.close()
  exitOnDatabaseFailure(error, config.mongodbUrl)
}
await client.close()
