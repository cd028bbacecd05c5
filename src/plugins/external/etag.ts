import fastifyEtag from '@fastify/etag'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's `Cache-Control` for a successful answer; problem answers are always `no-store`. */
    cacheControl?: string
    /**
     * The answer differs with the caller's bearer token (their own ratings in it): every answer varies on
     * `Authorization`, and one to a request with a token is `private, no-cache`, never kept by a shared cache.
     */
    perCaller?: boolean
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
    const { cacheControl: policy, perCaller } = reply.routeOptions.config
    if (perCaller) {
      const vary = reply.getHeader('vary')
      reply.header('vary', vary ? `${String(vary)}, Authorization` : 'Authorization')
    }
    if (reply.statusCode >= 300 || policy === 'no-store') {
      delete request.headers['if-none-match']
      reply.header('cache-control', 'no-store')
    } else if (perCaller && request.headers.authorization !== undefined) {
      reply.header('cache-control', 'private, no-cache')
    } else if (policy) {
      reply.header('cache-control', policy)
    }
    return payload
  })
  await fastify.register(fastifyEtag)
}, { name: 'etag' })
