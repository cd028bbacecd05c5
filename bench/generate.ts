// npm run generate -- --songs N --ratings M [--seed S] [--batch B]: writes a deterministic synthetic catalog
// into MONGODB_URL, with a progress bar (rate and ETA) on stderr.
import { parseArgs } from 'node:util'
import { SingleBar } from 'cli-progress'
import { MongoClient } from 'mongodb'
import { loadConfig } from '../src/config.ts'
import { collections } from '../src/db/collections.ts'
import { exitOnDatabaseFailure } from '../src/db/start-failure.ts'
import { loadCatalog } from './load-catalog.ts'

const { values } = parseArgs({
  options: {
    songs: { type: 'string', default: '10000' },
    ratings: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '2000' }
  }
})
const [songs, ratings, seed, batchSize] = (['songs', 'ratings', 'seed', 'batch'] as const).map(name => {
  const value = Number(values[name])
  if (!Number.isSafeInteger(value) || value < 0 || (name === 'batch' && value === 0)) {
    console.error(`--${name} must be a whole number${name === 'batch' ? ' above 0' : ''}, not ${JSON.stringify(values[name])}`)
    process.exit(2)
  }
  return value
}) as [number, number, number, number]

const config = loadConfig()
const client = new MongoClient(config.mongodbUrl, { serverSelectionTimeoutMS: 5000 })
// Off a terminal (a log file), a line every 10 s instead of a redrawn bar.
const bar = new SingleBar({
  format: '{phase} [{bar}] {value}/{total} | {rate}/s | elapsed {duration_formatted} | ETA {eta_formatted}',
  noTTYOutput: true,
  notTTYSchedule: 10_000,
  etaBuffer: 50
})
let phase = ''
let phaseStart = 0
try {
  const started = Date.now()
  const inserted = await loadCatalog(collections(client.db(config.databaseName)), {
    songs,
    ratings,
    seed,
    batchSize,
    onProgress (current, done) {
      if (current !== phase) {
        if (phase) bar.stop()
        phase = current
        phaseStart = Date.now()
        bar.start(current === 'songs' ? songs : ratings, 0, { phase, rate: 0 })
      }
      bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - phaseStart) / 1000)) })
    }
  })
  if (phase) bar.stop()
  console.log(`${config.databaseName}: ${songs} songs and ${ratings} ratings generated (seed ${seed}); ` +
    `${inserted.songs} songs and ${inserted.ratings} ratings new, in ${((Date.now() - started) / 1000).toFixed(1)} s`)
} catch (error) {
  if (phase) bar.stop()
  await client.close()
  exitOnDatabaseFailure(error, config.mongodbUrl)
}
await client.close()
