import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { songExample, songPatchExample } from '../../schemas/examples.ts'
import { ref } from '../../schemas/ref.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { Song, SongIdParams, SongPatch } from '../../schemas/songs.ts'
import { songExistsResponse } from './song-exists-response.ts'
import { songNotFound } from '../../lib/problems/catalog.ts'

const updateSong: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.patch('/:song_id', {
    config: { cacheControl: 'no-store' },
    preHandler: [fastify.authenticate, fastify.isAdmin],
    schema: {
      operationId: 'updateSong',
      tags: ['songs'],
      summary: 'Change a song (admin)',
      description: 'Changes any non-empty subset of a song\'s fields. The difficulty averages and search follow at once.',
      security: TOKEN_REQUIRED,
      params: SongIdParams,
      body: ref(SongPatch),
      response: {
        200: jsonResponse('The song as it is now.', Song, { ...songExample, ...songPatchExample }),
        ...problemResponses({ field: 'body', message: 'must NOT have fewer than 1 properties' }, 401, 403, 404, 413, 415),
        409: songExistsResponse
      }
    }
  }, async function (request) {
    const { song_id: songId } = request.params
    const song = await fastify.catalogRepository.update(ObjectId.createFromHexString(songId), request.body)
    if (!song) throw songNotFound(songId)
    return song
  })
}

export default updateSong
