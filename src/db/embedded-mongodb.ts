import { mkdir } from 'node:fs/promises'
import { createServer } from 'node:net'

/** The MongoDB release production runs (mongo:7), downloaded once by mongodb-memory-server and cached. */
export const EMBEDDED_MONGODB_VERSION = '7.0.14'

/** The replica set's name is stored with its data, so it must not change between starts on one data directory. */
const REPLICA_SET = 'songs'

export interface EmbeddedMongoDB {
  /** A URL naming the replica set and the database. */
  url: string
  stop: () => Promise<void>
}

export interface EmbeddedOptions {
  databaseName: string
  /**
   * Fixed for a persistent data directory: the replica set's stored configuration names this member's port, so one
   * data directory goes with one port.
   */
  port?: number
  /** Kept between starts when given; a temporary directory removed on stop otherwise. */
  dbPath?: string
  /** Told one line before a download starts (mongodb-memory-server then prints its own progress). */
  announce: (line: string) => void
}

/**
 * Starts a mongod as a replica set of one member, as production runs (transactions, retryable writes and
 * majority writes behave the same). `MONGOMS_SYSTEM_BINARY` makes it use a mongod already installed; otherwise
 * mongodb-memory-server downloads MongoDB on first use (never at `npm ci`).
 */
export async function startEmbeddedMongoDB ({ databaseName, port, dbPath, announce }: EmbeddedOptions): Promise<EmbeddedMongoDB> {
  // mongodb-memory-server would move to another port when this one is taken, and the data directory's stored
  // replica set configuration would then name the wrong member on the next start.
  if (port !== undefined && !await portIsFree(port)) {
    throw new Error(`port ${port} is taken by something that is not MongoDB: free it or set LOCAL_MONGODB_PORT`)
  }
  // Loaded only when used: production and tests on MONGODB_URL never load it.
  const { DryMongoBinary, MongoMemoryReplSet } = await import('mongodb-memory-server-core')
  const binary = { version: EMBEDDED_MONGODB_VERSION }
  if (await DryMongoBinary.locateBinary(binary) === undefined) {
    const { downloadDir } = await DryMongoBinary.generateOptions(binary)
    announce(`Downloading MongoDB ${EMBEDDED_MONGODB_VERSION} (about 70 MB, once: it is cached in ${downloadDir})`)
  }
  if (dbPath) await mkdir(dbPath, { recursive: true })
  const replSet = await MongoMemoryReplSet.create({
    binary,
    replSet: { count: 1, name: REPLICA_SET, storageEngine: 'wiredTiger' },
    instanceOpts: [{ port, dbPath, storageEngine: 'wiredTiger' }]
  })
  return {
    url: replSet.getUri(databaseName),
    stop: async () => { await replSet.stop({ doCleanup: dbPath === undefined }) }
  }
}

/** Whether nothing listens on the loopback port. */
async function portIsFree (port: number): Promise<boolean> {
  const server = createServer()
  return await new Promise<boolean>(resolve => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}
