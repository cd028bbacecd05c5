import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { signedInUserId } from '../../plugins/app/authentication.ts'
import { userRatingExample } from '../../schemas/examples.ts'
import { UserRating } from '../../schemas/ratings.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { SongIdParams } from '../../schemas/songs.ts'
import { ratingNotFoundResponse } from './rating-not-found-response.ts'
import { ratingNotFound } from '../../lib/problems/catalog.ts'

const getUserRating: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/:song_id', {
    config: { cacheControl: 'private, no-cache' },
    preHandler: fastify.authenticate,
    schema: {
      operationId: 'getMyRating',
      tags: ['ratings'],
      summary: 'My rating of a song',
      description: 'The signed-in user\'s rating of one song.',
      security: TOKEN_REQUIRED,
      params: SongIdParams,
      response: {
        200: jsonResponse('The caller\'s rating of the song.', UserRating, userRatingExample),
        ...problemResponses({ field: 'params.song_id', message: 'must match pattern "^[0-9a-f]{24}$"' }, 401),
        404: ratingNotFoundResponse
      }
    }
  }, async function (request) {
    const { song_id: songId } = request.params
    const rating = await fastify.ratingsRepository.userRating(signedInUserId(request), ObjectId.createFromHexString(songId))
    if (!rating) throw ratingNotFound(songId)
    return rating
  })
}

export default getUserRating
