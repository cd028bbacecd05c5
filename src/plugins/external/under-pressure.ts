import fastifyUnderPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Sheds load while the event loop is saturated: a fast 503 problem with `Retry-After` (through the error
 * handler) instead of queueing requests that would all be late. The balancer retries them on another task.
 */
export default fp(async function underPressure (fastify: FastifyInstance) {
  await fastify.register(fastifyUnderPressure, {
    maxEventLoopDelay: fastify.config.maxEventLoopDelayMs,
    retryAfter: 5
  })
}, { name: 'under-pressure' })
