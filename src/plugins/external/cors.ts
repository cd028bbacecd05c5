import fastifyCors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Cross-origin browser access only for the origins in `CORS_ORIGINS`; with none listed, browsers on other
 * origins get no CORS headers and so cannot read answers. Servers and apps that call the API are unaffected.
 * With none listed nothing is registered, so OPTIONS is a method like any other a path does not serve (405).
 */
export default fp(async function cors (fastify: FastifyInstance) {
  const origins = fastify.config.corsOrigins
  if (origins.length === 0) return
  await fastify.register(fastifyCors, {
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Idempotency-Key', 'Authorization'],
    exposedHeaders: ['Retry-After', 'Location', 'WWW-Authenticate'],
    maxAge: 600
  })
}, { name: 'cors' })
