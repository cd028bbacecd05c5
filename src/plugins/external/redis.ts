import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'

declare module 'fastify' {
  interface FastifyInstance {
    /** The Redis of `REDIS_URL`, shared by the limiters; undefined without one (they count in memory). */
    redis: Redis | undefined
  }
}

/**
 * One connection for the counters that must hold across instances. Commands fail at once while Redis is away (no
 * offline queue): the limiters then fall back rather than keep requests waiting. ioredis reconnects by itself.
 */
export default fp(async function redis (fastify: FastifyInstance) {
  const { redisUrl } = fastify.config
  if (!redisUrl) {
    fastify.decorate('redis', undefined)
    return
  }
  const client = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, connectTimeout: 1000, maxRetriesPerRequest: 0 })
  client.on('error', (err: Error) => fastify.log.warn({ err }, 'Redis unavailable; limits fall back'))
  fastify.addHook('onClose', async () => client.disconnect())
  await client.connect().catch(() => { /* reported by the error listener; ioredis keeps reconnecting */ })
  fastify.decorate('redis', client)
}, { name: 'redis' })
