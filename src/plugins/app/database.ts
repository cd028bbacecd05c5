import fp from 'fastify-plugin'
import { collections, type Collections } from '../../db/collections.ts'
import { ensureIndexes } from '../../db/indexes.ts'
import { expireDocuments } from '../../db/expiring-documents.ts'
import { importSongs } from '../../db/import-songs.ts'
import { buildSearchTerms } from '../../db/search-terms.ts'
import { readSongFile } from '../../db/song-file.ts'

declare module 'fastify' {
  interface FastifyInstance {
    collections: Collections
  }
}

/** Ensures the indexes and the search terms and, on an empty catalog, loads the seed file, so one command gives a working API. */
export default fp(async function database (fastify, { seedFile }: { seedFile: string }) {
  const db = fastify.mongo.client.db(fastify.config.databaseName)
  const all = collections(db)
  await ensureIndexes(all)
  await expireDocuments(fastify, all.idempotencyKeys, fastify.config.idempotencyTtlSeconds)
  await expireDocuments(fastify, all.refreshTokens, fastify.config.refreshTokenTtlSeconds)
  // A catalog from before search terms gets them once, before the first search (a marker says they were built).
  const indexed = await buildSearchTerms(all)
  if (indexed > 0) fastify.log.info({ songs: indexed }, 'built the search terms of the catalog')
  if (await all.songs.estimatedDocumentCount() === 0) {
    const inserted = await importSongs(all, await readSongFile(seedFile))
    fastify.log.info({ seedFile, inserted }, 'seeded an empty catalog')
  }
  fastify.decorate('collections', all)
}, { name: 'database', dependencies: ['@fastify/mongodb'] })
