import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { rateLimited } from '../../lib/problems/rate-limit.ts'
import fp from 'fastify-plugin'

/**
 * Per client IP; the 429 is a problem like every other error, with `Retry-After`. Shared counters in Redis when
 * `REDIS_URL` is set, so the limit holds across instances; in memory otherwise. While Redis is away requests are
 * served unlimited (`skipOnError`): a lost limiter must not take the API down with it.
 */
export default fp(async function rateLimit (fastify: FastifyInstance) {
  const { redis } = fastify
  await fastify.register(fastifyRateLimit, {
    max: fastify.config.rateLimitMax,
    timeWindow: fastify.config.rateLimitWindowMs,
    ...(redis ? { redis, skipOnError: true } : {}),
    errorResponseBuilder: (_request, { after }) => rateLimited(after)
  })
}, { name: 'rate-limit', dependencies: ['redis'] })
