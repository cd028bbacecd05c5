import { randomUUID } from 'node:crypto'
import { MongoClient, type Db } from 'mongodb'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.ts'
import { loadConfig, type Config } from '../src/config.ts'
import { collections, type Collections } from '../src/db/collections.ts'
import { engineOf } from '../src/db/engine.ts'
import { readSongFile, type NewSong } from '../src/db/song-file.ts'
import { tcpProxy } from './tcp-proxy.ts'

export const SEED_FILE = new URL('../seed/songs.json', import.meta.url).pathname

let serverUrl: Promise<string> | undefined

/**
 * The MongoDB-wire server the tests talk to: `MONGODB_URL` when set, otherwise a `mongo:7` container
 * started with testcontainers for this test file.
 */
export function mongoServerUrl (): Promise<string> {
  serverUrl ??= process.env.MONGODB_URL ? Promise.resolve(process.env.MONGODB_URL) : startMongoContainer()
  return serverUrl
}

async function startMongoContainer (): Promise<string> {
  try {
    const { GenericContainer, Wait } = await import('testcontainers')
    const container = await new GenericContainer('mongo:7')
      .withExposedPorts(27017)
      .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
      .start()
    t.teardown(() => container.stop())
    return `mongodb://${container.getHost()}:${container.getMappedPort(27017)}/songs`
  } catch (error) {
    throw new Error('The tests need a MongoDB-wire server: set MONGODB_URL (e.g. mongodb://127.0.0.1:27017/songs) ' +
      `or run Docker so testcontainers can start mongo:7. (${(error as Error).message})`)
  }
}

/** The same server with another database in the URL's path. */
export function withDatabase (url: string, database: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${database}`)
}

/** A database of its own for one test, dropped when the test ends. */
export async function testDatabase (t: Test): Promise<{ url: string, db: Db, collections: Collections }> {
  const url = withDatabase(await mongoServerUrl(), `songs_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`)
  const client = await MongoClient.connect(url)
  const db = client.db()
  t.teardown(async () => {
    await db.dropDatabase()
    await client.close()
  })
  return { url, db, collections: collections(db) }
}

/** A fresh database reached through a TCP proxy the test controls (cut, restore, latency); `url` goes through it. */
export async function testDatabaseBehindProxy (t: Test) {
  const database = await testDatabase(t)
  const target = /^mongodb:\/\/([^/:]+):(\d+)/.exec(database.url)
  if (!target) throw new Error(`needs a plain mongodb://host:port URL, not ${database.url}`)
  const proxy = await tcpProxy(target[1]!, Number(target[2]))
  t.teardown(proxy.close)
  return { ...database, url: database.url.replace(target[0], `mongodb://127.0.0.1:${proxy.port}`), proxy }
}

/**
 * The app on a fresh database (seeded from seed/songs.json at start), closed and dropped when the test ends.
 * Rate limiting, load shedding and the database timeout stay out of the way unless a test sets them: a busy test
 * machine (FerretDB scans, two test files at once) must not turn into 429s or 503s in tests about something else.
 */
export async function buildTestApp (t: Test, env: Record<string, string> = {}) {
  const database = await testDatabase(t)
  const config: Config = loadConfig({ RATE_LIMIT_MAX: '100000', MAX_EVENT_LOOP_DELAY_MS: '60000', MONGODB_TIMEOUT_MS: '10000', LOG_LEVEL: 'silent', ...env, MONGODB_URL: database.url })
  const app = await buildApp(config, { logger: { level: config.logLevel } })
  t.teardown(() => app.close())
  return Object.assign(app, { database })
}

export type TestApp = Awaited<ReturnType<typeof buildTestApp>>

/** The app on a fresh database that it reaches through a TCP proxy the test can cut and restore. */
export async function buildAppBehindProxy (t: Test, env: Record<string, string> = {}) {
  const { url, proxy, db, collections } = await testDatabaseBehindProxy(t)
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', ...env, MONGODB_URL: url }))
  t.teardown(() => app.close())
  // The test reads the database directly, not through the proxy it cuts.
  return { app, proxy, database: { db, collections } }
}

export const seedSongs: Promise<NewSong[]> = readSongFile(SEED_FILE)

/** FerretDB 1, the server CI uses here, whose update operators are not atomic (see src/db/engine.ts). */
export async function isFerretDB (db: Db): Promise<boolean> {
  return (await engineOf(db)).kind === 'ferretdb-v1'
}

export function json<T = any> (response: { body: string }): T {
  return JSON.parse(response.body) as T
}
