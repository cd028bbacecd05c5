import fastifyRateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { ProblemError } from '../../lib/problem.ts'

export function rateLimited (after: string): ProblemError {
  return new ProblemError(429, 'RATE_LIMITED', `Too many requests; retry in ${after}.`)
}

/** Per client IP; the 429 is a problem like every other error, with `Retry-After`. */
export default fp(async function rateLimit (fastify: FastifyInstance) {
  await fastify.register(fastifyRateLimit, {
    max: fastify.config.rateLimitMax,
    timeWindow: fastify.config.rateLimitWindowMs,
    errorResponseBuilder: (_request, { after }) => rateLimited(after)
  })
}, { name: 'rate-limit' })
