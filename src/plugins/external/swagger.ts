import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** The OpenAPI document is generated from the route schemas; shared schemas become named components. */
export default fp(async function swagger (fastify: FastifyInstance) {
  await fastify.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'songs-api',
        version: '1.0.0',
        description: 'A music-learning catalog: list and search songs, average difficulty, rate songs and read rating summaries. Every error is `application/problem+json` (RFC 9457).'
      },
      tags: [
        { name: 'songs', description: 'The catalog' },
        { name: 'ratings', description: 'Song ratings' },
        { name: 'operations', description: 'Liveness and readiness probes' }
      ]
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}`
    }
  })
  await fastify.register(fastifySwaggerUi, { routePrefix: '/docs' })
  fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger())
}, { name: 'swagger' })
