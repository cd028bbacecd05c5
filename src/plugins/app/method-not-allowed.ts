import type { FastifyInstance, HTTPMethods } from 'fastify'
import { problem } from '../../lib/problem.ts'
import { send } from './problems.ts'

// OPTIONS stays free for CORS preflights; HEAD comes with GET.
const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/**
 * Records the methods of every route registered from now on, and returns a function that, called once
 * every route is in, answers the other methods on those paths with 405 and an `Allow` header.
 */
export function methodNotAllowed (fastify: FastifyInstance): () => void {
  const methodsByUrl = new Map<string, Set<string>>()
  fastify.addHook('onRoute', route => {
    const routeMethods = [route.method].flat().filter(method => method !== 'HEAD')
    if (routeMethods.length === 0) return
    const methods = methodsByUrl.get(route.url) ?? new Set()
    for (const method of routeMethods) methods.add(method)
    methodsByUrl.set(route.url, methods)
  })
  return () => {
    for (const [url, methods] of [...methodsByUrl]) {
      const others = METHODS.filter(method => !methods.has(method))
      const allow = [...methods].join(', ')
      if (others.length === 0 || url.includes('*')) continue
      fastify.route({
        method: others,
        url,
        schema: { hide: true },
        handler: (request, reply) => send(reply.header('allow', allow), problem(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use ${allow}.`))
      })
    }
  }
}
