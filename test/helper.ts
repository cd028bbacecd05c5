import { randomUUID } from 'node:crypto'
import type { Writable } from 'node:stream'
import { MongoClient, type Db } from 'mongodb'
import type { Test } from 'tap'
import { buildApp } from '../src/app.ts'
import { loadConfig, type Config } from '../src/config.ts'
import { collections, type Collections } from '../src/db/collections.ts'
import { engineOf } from '../src/db/engine.ts'
import { readSongFile, type NewSong } from '../src/db/song-file.ts'
import { tcpProxy } from './tcp-proxy.ts'

export const SEED_FILE = new URL('../seed/songs.json', import.meta.url).pathname

/**
 * The MongoDB-wire server the tests talk to. `npm test` (test/run.ts) provides one for the whole run (MONGODB_URL,
 * else a mongo:7 container, else an embedded MongoDB) and passes it on as `MONGODB_URL`.
 */
export async function mongoServerUrl (): Promise<string> {
  if (process.env.MONGODB_URL) return process.env.MONGODB_URL
  throw new Error('MONGODB_URL is not set: run the tests with `npm test` (add `-- --disable-coverage FILE` for one file), ' +
    'which provides a MongoDB, or set MONGODB_URL yourself')
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
 * `logStream` receives the log lines (at `LOG_LEVEL`, silent unless the test sets it).
 */
export async function buildTestApp (t: Test, env: Record<string, string> = {}, { logStream }: { logStream?: Writable } = {}) {
  return buildTestAppOn(t, await testDatabase(t), env, { logStream })
}

/**
 * The configuration of an app a test builds: `env` over quiet logs and no load shedding, since a stall on a
 * loaded machine would otherwise turn requests of tests about something else into 503 OVERLOADED.
 */
export function testConfig (env: Record<string, string | undefined> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0', ...env })
}

/** As buildTestApp, on a database the test has already (a second instance, or the app again after a restart). */
export async function buildTestAppOn (t: Test, database: Awaited<ReturnType<typeof testDatabase>>, env: Record<string, string> = {}, { logStream }: { logStream?: Writable } = {}) {
  const config = testConfig({ RATE_LIMIT_MAX: '100000', MONGODB_TIMEOUT_MS: '10000', ...env, MONGODB_URL: database.url })
  const app = await buildApp(config, { logger: { level: config.logLevel, ...logStream && { stream: logStream } } })
  t.teardown(() => app.close())
  return Object.assign(app, { database })
}

export type TestApp = Awaited<ReturnType<typeof buildTestApp>>

/** The app on a fresh database that it reaches through a TCP proxy the test can cut and restore. */
export async function buildAppBehindProxy (t: Test, env: Record<string, string> = {}) {
  const { url, proxy, db, collections } = await testDatabaseBehindProxy(t)
  const app = await buildApp(testConfig({ ...env, MONGODB_URL: url }))
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
