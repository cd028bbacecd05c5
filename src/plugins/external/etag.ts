import fastifyEtag from '@fastify/etag'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's `Cache-Control` for a successful answer; problem answers are always `no-store`. */
    cacheControl?: string
  }
}

/**
 * HTTP caching, so a CDN or browser can absorb peaks: each successful answer carries the route's
 * `Cache-Control` and an `ETag`, and a matching `If-None-Match` gets a 304 without a body.
 * An error is never cacheable and never a 304.
 */
export default fp(async function etag (fastify: FastifyInstance) {
  // Runs before @fastify/etag's hook (registered after it), so only a cacheable success can become a 304.
  fastify.addHook('onSend', async (request, reply, payload) => {
    const policy = reply.routeOptions.config.cacheControl
    if (reply.statusCode >= 300 || policy === 'no-store') {
      delete request.headers['if-none-match']
      reply.header('cache-control', 'no-store')
    } else if (policy) {
      reply.header('cache-control', policy)
    }
    return payload
  })
  await fastify.register(fastifyEtag)
}, { name: 'etag' })
