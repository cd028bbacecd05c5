import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { deadline } from '../../db/deadline.ts'
import { searchTermsNotBuilt } from '../../lib/problems/catalog.ts'
import { ProblemError } from '../../lib/problems/problem.ts'
import { Readiness } from '../../schemas/operations.ts'
import { jsonResponse, problemResponsesOnly } from '../../schemas/responses.ts'
import { NO_TOKEN } from '../../schemas/security.ts'

const ready: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/ready', {
    schema: {
      operationId: 'getReadiness',
      tags: ['operations'],
      summary: 'Readiness',
      description: 'Answers 200 when MongoDB answers a ping within `MONGODB_TIMEOUT_MS` and the catalog\'s search terms are built, ' +
        'otherwise a 503 problem (`DATABASE_UNAVAILABLE`, or `SEARCH_NOT_READY` until `npm run search:build` has run). ' +
        'For the load balancer\'s target health check: an instance that cannot reach the database, or would miss songs in searches, gets no traffic.',
      security: NO_TOKEN,
      response: { 200: jsonResponse('MongoDB answered a ping.', Readiness, { status: 'ready', database_ms: 1.4 }), ...problemResponsesOnly(500, 503) }
    },
    logLevel: 'warn',
    // Probes come from the balancer's own addresses at a fixed rate: a 429 would take a ready task out.
    config: { rateLimit: false }
  }, async function (request) {
    const started = performance.now()
    try {
      // Bounded by the client's selection and socket timeouts (`MONGODB_TIMEOUT_MS`), and its deadline.
      await fastify.mongo.db!.command({ ping: 1 }, deadline(fastify.config.mongodbTimeoutMs))
    } catch (error) {
      request.log.warn({ err: error }, 'not ready: the database did not answer a ping')
      throw new ProblemError(503, 'DATABASE_UNAVAILABLE', 'The database did not answer in time; this instance is not ready.')
    }
    if (!await fastify.searchTermsBuilt()) throw searchTermsNotBuilt()
    return { status: 'ready' as const, database_ms: performance.now() - started }
  })
}

export default ready
