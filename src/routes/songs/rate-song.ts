import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { RatingHeaders, RatingInput, RatingSummary } from '../../schemas/ratings.ts'
import { ratingSummaryExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { ref } from '../../schemas/ref.ts'
import { songNotFound } from './song-not-found.ts'

const rateSong: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.post('/rating', {
    config: { cacheControl: 'no-store' },
    schema: {
      operationId: 'rateSong',
      tags: ['ratings'],
      summary: 'Rate a song',
      description: 'Stores a rating of 1–5 stars and answers with the song\'s rating summary including it. ' +
        'With an `Idempotency-Key`, retries of the same request are answered as the first and stored once.',
      headers: RatingHeaders,
      body: ref(RatingInput),
      response: {
        201: jsonResponse('The rating is stored; the song\'s rating summary including it.', RatingSummary, ratingSummaryExample),
        ...problemResponses({ field: 'body.rating', message: 'must be <= 5' }, 404, 409, 413, 415, 422)
      }
    }
  }, async function (request, reply) {
    const { song_id: songId, rating } = request.body
    const summary = await fastify.ratingsRepository.rate(ObjectId.createFromHexString(songId), rating, { idempotencyKey: request.headers['idempotency-key'] })
    if (!summary) throw songNotFound(songId)
    return reply.code(201).send(summary)
  })
}

export default rateSong
