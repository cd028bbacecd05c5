import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { RatingHeaders, RatingInput, RatingSummary } from '../../schemas/ratings.ts'
import { ratingSummaryExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { ref } from '../../schemas/ref.ts'
import { TOKEN_OPTIONAL, TOKEN_REQUIRED } from '../../schemas/security.ts'
import { signedInUser } from '../../plugins/app/authentication.ts'
import { songNotFound } from '../../lib/problems/catalog.ts'

const rateSong: FastifyPluginAsyncTypebox = async function (fastify) {
  const signInRequired = fastify.config.ratingsRequireSignIn
  fastify.post('/rating', {
    config: { cacheControl: 'no-store' },
    // A token that is sent must be valid: an invalid one is a 401, never an anonymous rating.
    preHandler: signInRequired ? fastify.authenticate : fastify.authenticateOptional,
    schema: {
      operationId: 'rateSong',
      tags: ['ratings'],
      summary: 'Rate a song',
      description: 'Stores a rating of 1–5 stars and answers with the song\'s rating summary including it. ' +
        'With a bearer token the rating is the user\'s: one per user and song, and rating the song again replaces it. ' +
        `Without one it is anonymous${signInRequired ? ', which this server refuses (`RATINGS_REQUIRE_SIGN_IN`): a 401' : ''}. ` +
        'With an `Idempotency-Key` (scoped to the caller), retries of the same request are answered as the first and stored once.',
      security: signInRequired ? TOKEN_REQUIRED : TOKEN_OPTIONAL,
      headers: RatingHeaders,
      body: ref(RatingInput),
      response: {
        201: jsonResponse('The rating is stored; the song\'s rating summary including it.', RatingSummary, ratingSummaryExample),
        ...problemResponses({ field: 'body.rating', message: 'must be <= 5' }, 401, 404, 409, 413, 415, 422)
      }
    }
  }, async function (request, reply) {
    const { song_id: songId, rating } = request.body
    const user = signedInUser(request)
    const summary = await fastify.ratingsRepository.rate(ObjectId.createFromHexString(songId), rating, {
      userId: user && ObjectId.createFromHexString(user.id),
      idempotencyKey: request.headers['idempotency-key']
    })
    if (!summary) throw songNotFound(songId)
    return reply.code(201).send(summary)
  })
}

export default rateSong
