import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { pathOf, unroutedProblem, type RouteMethods } from '../../lib/route-methods.ts'
import { answerUnroutedOnSocket, send } from './problems.ts'

/**
 * Every method a path does not serve (any token: TRACE, QUERY, PROPFIND, …) is a 405 with `Allow`, and any path
 * no route serves a 404, both rate limited like every route. Decided when the request arrives, before
 * authentication or body parsing, so a wrong method is never reported as a bad body or a missing token.
 * Tokens Node's HTTP parser refuses (`get`, `FOO`) are answered the same way by `clientError`, and CONNECT here.
 */
export default fp(async function methodNotAllowed (fastify: FastifyInstance, { routes }: { routes: RouteMethods }) {
  fastify.addHook('onRoute', route => routes.add([route.method].flat(), route.url))
  const limit = fastify.rateLimit()

  async function answer (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    await limit.call(this, request, reply)
    if (reply.sent) return reply
    const { problem: body, allow } = unroutedProblem(routes, request.method, request.url)
    if (allow) reply.header('allow', allow)
    return send(reply, body)
  }
  fastify.addHook('onRequest', async function (request, reply) {
    // No route, or a fixed path reached through a parameter beside it (PATCH /songs/search through /songs/:song_id).
    const path = pathOf(request.url)
    if (request.is404 || (request.routeOptions.url !== path && routes.isFixed(path))) return answer.call(this, request, reply)
  })
  // Reached by requests a route hands on unanswered: CORS preflights when CORS is off.
  fastify.setNotFoundHandler(answer)
  // Node hands CONNECT to a 'connect' listener, not to the router; without one it drops the connection unanswered.
  fastify.server.on('connect', (request: IncomingMessage, socket: Socket) => answerUnroutedOnSocket(socket, routes, 'CONNECT', request.url ?? ''))
}, { name: 'method-not-allowed', dependencies: ['@fastify/rate-limit'] })
