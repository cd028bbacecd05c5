import type { FastifyInstance } from 'fastify'
import { MongoServerError, type Collection, type Filter } from 'mongodb'
import { retryingTransient } from './retry-transient.ts'

/** A collection whose documents expire a fixed time after their `created_at`. */
type Expiring<T extends { created_at: Date }> = Collection<T>

// MongoDB's code for createIndex with the options of an existing index changed; FerretDB's for a missing feature.
const INDEX_OPTIONS_CONFLICT = 85
const NOT_IMPLEMENTED = 238
const EXPIRES_INDEX = 'created_at_ttl'

/**
 * The TTL index that removes documents, a changed TTL applied to the existing index. Returns false when the server
 * has no TTL indexes (FerretDB): then a plain index serves `removeExpired`, which the caller must schedule.
 */
export async function ensureExpiresIndex<T extends { created_at: Date }> (collection: Expiring<T>, ttlSeconds: number): Promise<boolean> {
  try {
    await collection.createIndex({ created_at: 1 }, { name: EXPIRES_INDEX, expireAfterSeconds: ttlSeconds })
    return true
  } catch (error) {
    if (!(error instanceof MongoServerError)) throw error
    if (error.code === NOT_IMPLEMENTED) {
      await collection.createIndex({ created_at: 1 }, { name: EXPIRES_INDEX })
      return false
    }
    if (error.code !== INDEX_OPTIONS_CONFLICT) throw error
    await collection.db.command({ collMod: collection.collectionName, index: { name: EXPIRES_INDEX, expireAfterSeconds: ttlSeconds } })
    return true
  }
}

/** What the TTL index does, for servers without one. Returns how many documents it removed. */
export async function removeExpired<T extends { created_at: Date }> (collection: Expiring<T>, ttlMs: number): Promise<number> {
  return (await collection.deleteMany({ created_at: { $lt: new Date(Date.now() - ttlMs) } } as Filter<T>)).deletedCount
}

/**
 * Documents of `collection` go `ttlSeconds` after their `created_at`: by the TTL index, or, on a server without
 * TTL indexes, by a sweep each minute (as often as MongoDB's TTL monitor runs) while the app runs. Readers still
 * treat an expired document as gone, since either way it can outlive its time by up to a minute.
 */
export async function expireDocuments<T extends { created_at: Date }> (fastify: FastifyInstance, collection: Expiring<T>, ttlSeconds: number): Promise<void> {
  if (await retryingTransient(() => ensureExpiresIndex(collection, ttlSeconds))) return
  const sweep = setInterval(() => {
    removeExpired(collection, ttlSeconds * 1000).catch((err: unknown) => fastify.log.warn({ err, collection: collection.collectionName }, 'removing expired documents failed'))
  }, Math.min(ttlSeconds * 1000, 60_000)).unref()
  fastify.addHook('onClose', async () => clearInterval(sweep))
}
