import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import { ProblemError } from '../../lib/problem.ts'

export function rateLimited (after: string): ProblemError {
  return new ProblemError(429, 'RATE_LIMITED', `Too many requests; retry in ${after}.`)
}

/**
 * Shared counters in Redis when `REDIS_URL` is set, so the limit holds across instances; in memory otherwise.
 * Commands fail at once while Redis is away (no offline queue) and requests are then served unlimited
 * (`skipOnError`): a lost limiter must not take the API down with it. ioredis reconnects by itself.
 */
async function redisStore (fastify: FastifyInstance, url: string) {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, connectTimeout: 1000, maxRetriesPerRequest: 0 })
  redis.on('error', (err: Error) => fastify.log.warn({ err }, 'rate-limit store (Redis) unavailable; not limiting'))
  fastify.addHook('onClose', async () => redis.disconnect())
  await redis.connect().catch(() => { /* reported by the error listener; ioredis keeps reconnecting */ })
  return { redis, skipOnError: true }
}

/** Per client IP; the 429 is a problem like every other error, with `Retry-After`. */
export default fp(async function rateLimit (fastify: FastifyInstance) {
  const { redisUrl } = fastify.config
  await fastify.register(fastifyRateLimit, {
    max: fastify.config.rateLimitMax,
    timeWindow: fastify.config.rateLimitWindowMs,
    ...(redisUrl ? await redisStore(fastify, redisUrl) : {}),
    errorResponseBuilder: (_request, { after }) => rateLimited(after)
  })
}, { name: 'rate-limit' })
