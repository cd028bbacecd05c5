import fp from 'fastify-plugin'
import { collections, ensureIndexes, type Collections } from '../../db/collections.ts'
import { ensureExpiresIndex, removeExpiredKeys } from '../../db/idempotency-keys.ts'
import { importSongs } from '../../db/import-songs.ts'
import { readSongFile } from '../../db/song-file.ts'

declare module 'fastify' {
  interface FastifyInstance {
    collections: Collections
  }
}

/** Ensures the indexes and, on an empty catalog, loads the seed file, so one command gives a working API. */
export default fp(async function database (fastify, { seedFile }: { seedFile: string }) {
  const db = fastify.mongo.client.db(fastify.config.databaseName)
  const all = collections(db)
  await ensureIndexes(all)
  const ttlSeconds = fastify.config.idempotencyTtlSeconds
  if (!await ensureExpiresIndex(all.idempotencyKeys, ttlSeconds)) {
    // No TTL index on this server: remove expired idempotency keys as MongoDB's TTL monitor would, each minute.
    const sweep = setInterval(() => {
      removeExpiredKeys(all.idempotencyKeys, ttlSeconds * 1000).catch((err: unknown) => fastify.log.warn({ err }, 'removing expired idempotency keys failed'))
    }, Math.min(ttlSeconds * 1000, 60_000)).unref()
    fastify.addHook('onClose', async () => clearInterval(sweep))
  }
  if (await all.songs.estimatedDocumentCount() === 0) {
    const inserted = await importSongs(all, await readSongFile(seedFile))
    fastify.log.info({ seedFile, inserted }, 'seeded an empty catalog')
  }
  fastify.decorate('collections', all)
}, { name: 'database', dependencies: ['@fastify/mongodb'] })
