import fastifyHelmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Security headers on every answer (nosniff, frame denial, HSTS, a same-origin CSP that Swagger UI's external
 * scripts satisfy, …). Fastify itself sends no `X-Powered-By` or `Server` header to fingerprint it by.
 */
export default fp(async function helmet (fastify: FastifyInstance) {
  await fastify.register(fastifyHelmet, { global: true })
}, { name: 'helmet' })
