import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'

export const REQUEST_ID_HEADER = 'x-request-id'

// What a proxy or client may send as its id: short, and nothing that could forge or break a log line.
const ACCEPTED_ID = /^[\w.:=+/-]{1,128}$/

/**
 * The request's id, for Fastify's `genReqId`: the caller's `x-request-id` when it is a plausible id (so one id
 * follows a request through the load balancer, the API and the logs), otherwise a fresh UUID.
 */
export function requestIdOf (request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER]
  return typeof incoming === 'string' && ACCEPTED_ID.test(incoming) ? incoming : randomUUID()
}

/** Every answer names the id its log lines carry, so a client's report leads straight to them. */
export default fp(async function requestId (fastify) {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id)
  })
}, { name: 'request-id' })
