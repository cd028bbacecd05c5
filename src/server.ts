import closeWithGrace from 'close-with-grace'
import { resolve } from 'node:path'
import { MongoServerSelectionError } from 'mongodb'
import { buildApp } from './app.ts'
import { loadConfig, withoutCredentials, type Config } from './config.ts'
import { EMBEDDED_MONGODB_VERSION, startEmbeddedMongoDB, type EmbeddedMongoDB } from './db/embedded-mongodb.ts'
import { exitOnDatabaseFailure } from './db/start-failure.ts'
import { chooseServerSource, mongodbAnswers } from './db/mongodb-source.ts'
import { loggerOptions } from './logger.ts'
// The instance `node --import ./src/tracing.ts` started (or a no-op): imported here only to flush it at the end.
import { stopTracing } from './tracing.ts'

const OTHER_DATABASES = `Get one of these:
  - docker compose up            (MongoDB 7, the API and the seed, all in containers)
  - docker run -d -p 27017:27017 mongo:7
  - set MONGODB_URL to a MongoDB you already have (e.g. mongodb://host:27017/songs)`
const NO_DATABASE = `${OTHER_DATABASES}
  - leave MONGODB_URL unset (and NODE_ENV not production): npm start then starts an embedded MongoDB, downloaded once`

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

const source = await chooseServerSource({
  mongodbUrlSet: config.mongodbUrlSet,
  production: config.nodeEnv === 'production',
  localAnswers: () => mongodbAnswers(config.mongodbUrl)
})
let embedded: EmbeddedMongoDB | undefined
const dataDir = resolve(config.embeddedMongoDBDir)
if (source === 'embedded') {
  embedded = await startEmbeddedMongoDB({
    databaseName: config.databaseName,
    port: config.localMongoDBPort,
    dbPath: dataDir,
    announce: line => process.stdout.write(`${line}\n`)
  }).catch((error: unknown) => fail(`Cannot start an embedded MongoDB: ${(error as Error).message}\n${OTHER_DATABASES}`))
  config = { ...config, mongodbUrl: embedded.url }
}

const app = await buildApp(config, { logger: loggerOptions(config.logLevel) }).catch(async (error: unknown) => {
  await embedded?.stop()
  if (error instanceof MongoServerSelectionError) fail(`Cannot reach MongoDB. ${NO_DATABASE}\n(${withoutCredentials(config.mongodbUrl)}: ${error.message})`)
  exitOnDatabaseFailure(error, config.mongodbUrl)
})
if (embedded) {
  app.log.info({ mongodb: embedded.url, dataDir },
    `embedded development database: MongoDB ${EMBEDDED_MONGODB_VERSION}, a replica set of one, data kept in ${dataDir}; set MONGODB_URL to use another MongoDB`)
} else {
  app.log.info({ mongodb: source }, source === 'local' ? `MongoDB on 127.0.0.1:${config.localMongoDBPort}` : 'MongoDB at MONGODB_URL')
}

// On SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then close MongoDB (and stop the embedded one),
// then export the spans still buffered.
closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'closing after an uncaught error')
  else app.log.info({ signal }, 'closing')
  await app.close()
  await embedded?.stop()
  await stopTracing()
})

await app.listen({ port: config.port, host: config.host })
