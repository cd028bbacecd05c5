import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { songExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { NO_TOKEN } from '../../schemas/security.ts'
import { Song, SongIdParams } from '../../schemas/songs.ts'
import { songNotFound } from '../../lib/problems/catalog.ts'

const getSong: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/:song_id', {
    config: { cacheControl: 'public, max-age=60' },
    schema: {
      operationId: 'getSong',
      tags: ['songs'],
      summary: 'Get a song',
      description: 'One song by its id.',
      security: NO_TOKEN,
      params: SongIdParams,
      response: {
        200: jsonResponse('The song.', Song, songExample),
        ...problemResponses({ field: 'params.song_id', message: 'must match pattern "^[0-9a-f]{24}$"' }, 404)
      }
    }
  }, async function (request) {
    const { song_id: songId } = request.params
    const song = await fastify.catalogRepository.get(ObjectId.createFromHexString(songId))
    if (!song) throw songNotFound(songId)
    return song
  })
}

export default getSong
