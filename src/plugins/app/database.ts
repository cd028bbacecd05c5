import fp from 'fastify-plugin'
import { collections, ensureIndexes, type Collections } from '../../db/collections.ts'
import { expireDocuments } from '../../db/expiring-documents.ts'
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
  await expireDocuments(fastify, all.idempotencyKeys, fastify.config.idempotencyTtlSeconds)
  await expireDocuments(fastify, all.refreshTokens, fastify.config.refreshTokenTtlSeconds)
  if (await all.songs.estimatedDocumentCount() === 0) {
    const inserted = await importSongs(all, await readSongFile(seedFile))
    fastify.log.info({ seedFile, inserted }, 'seeded an empty catalog')
  }
  fastify.decorate('collections', all)
}, { name: 'database', dependencies: ['@fastify/mongodb'] })
