import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Health } from '../../schemas/operations.ts'
import { jsonResponse, problemResponsesOnly } from '../../schemas/responses.ts'
import { NO_TOKEN } from '../../schemas/security.ts'

const health: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/health', {
    schema: {
      operationId: 'getHealth',
      tags: ['operations'],
      summary: 'Liveness',
      description: 'Answers 200 while the process runs and its event loop turns; it does not touch the database, so a ' +
        'database outage never gets healthy instances restarted. For the container health check.',
      security: NO_TOKEN,
      response: { 200: jsonResponse('The process is alive.', Health, { status: 'ok' }), ...problemResponsesOnly(500) }
    },
    logLevel: 'warn',
    // Probes arrive every few seconds from the balancer's own addresses: a 429 would mark a healthy task down.
    // And a busy task is still alive: restarting it would move its load onto the others.
    config: { rateLimit: false, pressureHandler: () => undefined }
  }, async function () {
    return { status: 'ok' as const }
  })
}

export default health
