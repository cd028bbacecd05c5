import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { decodeCursor } from '../../lib/cursor.ts'
import { signedInUserId } from '../../plugins/app/authentication.ts'
import { userRatingPageExample } from '../../schemas/examples.ts'
import { UserRatingPage, UserRatingsQuery } from '../../schemas/ratings.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'

const listUserRatings: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/', {
    config: { cacheControl: 'private, no-cache' },
    preHandler: fastify.authenticate,
    schema: {
      operationId: 'listMyRatings',
      tags: ['ratings'],
      summary: 'My ratings',
      description: 'The signed-in user\'s ratings, the most recently given or changed first, a page at a time. Follow `next_cursor` until it is `null`.',
      security: TOKEN_REQUIRED,
      querystring: UserRatingsQuery,
      response: {
        200: jsonResponse('A page of the caller\'s ratings.', UserRatingPage, userRatingPageExample),
        ...problemResponses({ field: 'querystring.limit', message: 'must be <= 100' }, 401)
      }
    }
  }, async function (request) {
    const { limit, cursor } = request.query
    return fastify.ratingsRepository.ofUser(signedInUserId(request), limit, cursor === undefined ? undefined : decodeCursor(cursor))
  })
}

export default listUserRatings
