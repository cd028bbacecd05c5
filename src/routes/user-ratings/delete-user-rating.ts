import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { signedInUserId } from '../../plugins/app/authentication.ts'
import { problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { SongIdParams } from '../../schemas/songs.ts'
import { ratingNotFoundResponse } from './rating-not-found-response.ts'
import { ratingNotFound } from '../../lib/problems/catalog.ts'

const deleteUserRating: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.delete('/:song_id', {
    config: { cacheControl: 'no-store' },
    preHandler: fastify.authenticate,
    schema: {
      operationId: 'deleteMyRating',
      tags: ['ratings'],
      summary: 'Remove my rating of a song',
      description: 'Removes the signed-in user\'s rating of the song; the song\'s rating summary no longer counts it.',
      security: TOKEN_REQUIRED,
      params: SongIdParams,
      response: {
        204: { description: 'The rating is removed.', type: 'null' },
        ...problemResponses({ field: 'params.song_id', message: 'must match pattern "^[0-9a-f]{24}$"' }, 401),
        404: ratingNotFoundResponse
      }
    }
  }, async function (request, reply) {
    const { song_id: songId } = request.params
    if (!await fastify.ratingsRepository.removeUserRating(signedInUserId(request), ObjectId.createFromHexString(songId))) {
      throw ratingNotFound(songId)
    }
    return reply.code(204).send(null)
  })
}

export default deleteUserRating
