import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { SongIdParams } from '../../schemas/songs.ts'
import { songNotFound } from '../../lib/problems/catalog.ts'

const deleteSong: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.delete('/:song_id', {
    config: { cacheControl: 'no-store' },
    preHandler: [fastify.authenticate, fastify.isAdmin],
    schema: {
      operationId: 'deleteSong',
      tags: ['songs'],
      summary: 'Delete a song (admin)',
      description: 'Removes the song from the catalog, search and the difficulty averages, with every rating of it and its rating summary.',
      security: TOKEN_REQUIRED,
      params: SongIdParams,
      response: {
        204: { description: 'The song and its ratings are deleted.', type: 'null' },
        ...problemResponses({ field: 'params.song_id', message: 'must match pattern "^[0-9a-f]{24}$"' }, 401, 403, 404)
      }
    }
  }, async function (request, reply) {
    const { song_id: songId } = request.params
    if (!await fastify.catalogRepository.remove(ObjectId.createFromHexString(songId))) throw songNotFound(songId)
    return reply.code(204).send(null)
  })
}

export default deleteSong
