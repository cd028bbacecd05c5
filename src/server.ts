import closeWithGrace from 'close-with-grace'
import { MongoServerSelectionError } from 'mongodb'
import { buildApp } from './app.ts'
import { loadConfig, type Config } from './config.ts'
import { loggerOptions } from './logger.ts'

const NO_DATABASE = `Cannot reach MongoDB. Get one of these:
  - docker compose up            (MongoDB 7, the API and the seed, all in containers)
  - docker run -d -p 27017:27017 mongo:7
  - set MONGODB_URL to a MongoDB you already have (e.g. mongodb://host:27017/songs)`

function fail (message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

let config: Config
try {
  config = loadConfig()
} catch (error) {
  fail(`Invalid configuration: ${(error as Error).message}`)
}

const app = await buildApp(config, { logger: loggerOptions(config.logLevel) }).catch((error: unknown) => {
  if (error instanceof MongoServerSelectionError) fail(`${NO_DATABASE}\n(${config.mongodbUrl}: ${error.message})`)
  throw error
})

// On SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then close MongoDB.
closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'closing after an uncaught error')
  else app.log.info({ signal }, 'closing')
  await app.close()
})

await app.listen({ port: config.port, host: config.host })
