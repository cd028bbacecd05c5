import fp from 'fastify-plugin'
import { collections, type Collections } from '../../db/collections.ts'
import { ensureIndexes } from '../../db/indexes.ts'
import { expireDocuments } from '../../db/expiring-documents.ts'
import { importSongs } from '../../db/import-songs.ts'
import { searchTermsBuilt } from '../../db/search-terms.ts'
import { readSongFile } from '../../db/song-file.ts'

declare module 'fastify' {
  interface FastifyInstance {
    collections: Collections
    /** Whether every song has its search terms; once true it stays true, until then each call looks again. */
    searchTermsBuilt: () => Promise<boolean>
  }
}

/**
 * Ensures the indexes and, on an empty catalog, loads the seed file, so one command gives a working API. A catalog
 * whose search terms were never built (written by a version before them) is not built here, which would hold the
 * start for as long as the catalog is large: the start says so, and searches and `/ready` answer 503 until
 * `npm run search:build` has run.
 */
export default fp(async function database (fastify, { seedFile }: { seedFile: string }) {
  const db = fastify.mongo.client.db(fastify.config.databaseName)
  const all = collections(db)
  await ensureIndexes(all)
  await expireDocuments(fastify, all.idempotencyKeys, fastify.config.idempotencyTtlSeconds)
  await expireDocuments(fastify, all.refreshTokens, fastify.config.refreshTokenTtlSeconds)
  // Before the seed: an empty catalog needs no build, and the seed writes its songs' terms.
  let built = await searchTermsBuilt(all)
  if (!built) fastify.log.error(`The search terms of this catalog are not built: searches and /ready answer 503 until \`npm run search:build\` has run against ${fastify.config.databaseName}`)
  if (await all.songs.estimatedDocumentCount() === 0) {
    const inserted = await importSongs(all, await readSongFile(seedFile))
    fastify.log.info({ seedFile, inserted }, 'seeded an empty catalog')
  }
  fastify.decorate('collections', all)
  fastify.decorate('searchTermsBuilt', async () => (built ||= await searchTermsBuilt(all, fastify.config.mongodbTimeoutMs)))
}, { name: 'database', dependencies: ['@fastify/mongodb'] })
