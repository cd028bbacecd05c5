import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { EMBEDDED_MONGODB_VERSION } from '../src/db/embedded-mongodb.ts'
import { freePort } from './run-script.ts'

/**
 * Tests that start a real mongod through mongodb-memory-server run only where `MONGOMS_SYSTEM_BINARY` names one:
 * CI's machine has no mongod and cannot download one, and a stand-in would prove nothing.
 */
export const systemMongodSkip: string | false = process.env.MONGOMS_SYSTEM_BINARY
  ? false
  : 'MONGOMS_SYSTEM_BINARY is not set: no mongod to start here (set it to a MongoDB 7 mongod to run this)'

/**
 * Settings under which mongodb-memory-server must download MongoDB and the download fails at once, offline: no
 * system mongod, an empty download cache (`downloadDir`), and a download address where nothing listens.
 */
export async function failingDownload (t: Test) {
  const downloadDir = await mkdtemp(join(tmpdir(), 'songs-api-mongodb-binaries-'))
  t.teardown(() => rm(downloadDir, { recursive: true, force: true }))
  const env = {
    MONGOMS_SYSTEM_BINARY: undefined,
    MONGOMS_DOWNLOAD_DIR: downloadDir,
    MONGOMS_USE_HTTP: 'true',
    MONGOMS_DOWNLOAD_URL: `http://127.0.0.1:${await freePort()}/mongodb-linux-x86_64-${EMBEDDED_MONGODB_VERSION}.tgz`
  }
  return { downloadDir, env }
}
