import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { songExample, songInputExample } from '../../schemas/examples.ts'
import { ref } from '../../schemas/ref.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { Song, SongInput } from '../../schemas/songs.ts'
import { songExistsResponse } from './song-exists-response.ts'

const createSong: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.post('/', {
    config: { cacheControl: 'no-store' },
    preHandler: [fastify.authenticate, fastify.isAdmin],
    schema: {
      operationId: 'createSong',
      tags: ['songs'],
      summary: 'Add a song (admin)',
      description: 'Adds a song to the catalog; it is listed, searchable and counted in the difficulty averages at once. ' +
        'Artist and title together are unique, compared exactly.',
      security: TOKEN_REQUIRED,
      body: ref(SongInput),
      response: {
        201: {
          ...jsonResponse('The song is added.', Song, { ...songInputExample, id: songExample.id }),
          headers: { location: { type: 'string', description: 'The new song\'s URL, `/songs/{id}`.' } }
        },
        ...problemResponses({ field: 'body.level', message: 'must be >= 1' }, 401, 403, 413, 415),
        409: songExistsResponse
      }
    }
  }, async function (request, reply) {
    const song = await fastify.catalogRepository.create(request.body)
    return reply.code(201).header('location', `/songs/${song.id}`).send(song)
  })
}

export default createSong
