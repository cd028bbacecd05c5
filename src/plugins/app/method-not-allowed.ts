import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { pathOf, unroutedProblem, withoutTrailingSlash, type RouteMethods } from '../../lib/route-methods.ts'
import { answerUnroutedOnSocket, send } from './problems.ts'

/**
 * Every method a path does not serve (any token: TRACE, QUERY, PROPFIND, …) is a 405 with `Allow`, and any path
 * no route serves a 404, both rate limited like every route. A path with a trailing slash is a 308 to the path
 * without it when that path serves the method (query kept; a 308 keeps the method and body), and otherwise answers
 * what the path without it answers: one URL per resource, for caches and for Swagger UI's relative links alike.
 * Decided when the request arrives, before authentication or body parsing, so a wrong method is never reported
 * as a bad body or a missing token. Tokens Node's HTTP parser refuses (`get`, `FOO`) are answered the same way by
 * `clientError`, and CONNECT here.
 */
export default fp(async function methodNotAllowed (fastify: FastifyInstance, { routes }: { routes: RouteMethods }) {
  const limit = fastify.rateLimit()

  async function answer (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    await limit.call(this, request, reply)
    if (reply.sent) return reply
    const canonical = withoutTrailingSlash(request.url)
    if (canonical !== request.url && routes.allowed(canonical).includes(request.method)) {
      // Fastify leaves a bodiless HEAD answer without a length; the GET answer says 0, and HEAD must say the same.
      return reply.header('content-length', '0').redirect(canonical, 308)
    }
    const { problem: body, allow } = unroutedProblem(routes, request.method, request.url)
    if (allow) reply.header('allow', allow)
    return send(reply, body)
  }
  fastify.addHook('onRequest', async function (request, reply) {
    // A trailing slash, no route, or a fixed path reached through a parameter beside it (PATCH /songs/search
    // through /songs/:song_id).
    const path = pathOf(request.url)
    if (path !== withoutTrailingSlash(path) || request.is404 || (request.routeOptions.url !== path && routes.isFixed(path))) return answer.call(this, request, reply)
  })
  // Reached by requests a route hands on unanswered: CORS preflights when CORS is off, a missing Swagger UI asset.
  fastify.setNotFoundHandler(answer)
  // Node hands CONNECT to a 'connect' listener, not to the router; without one it drops the connection unanswered.
  fastify.server.on('connect', (request: IncomingMessage, socket: Socket) => answerUnroutedOnSocket(socket, routes, 'CONNECT', request.url ?? ''))
}, { name: 'method-not-allowed', dependencies: ['@fastify/rate-limit'] })
