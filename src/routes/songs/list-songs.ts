import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { decodeCursor } from '../../lib/cursor.ts'
import { songPageExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { NO_TOKEN } from '../../schemas/security.ts'
import { ListSongsQuery, SongPage } from '../../schemas/songs.ts'

const listSongs: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/', {
    config: { cacheControl: 'public, max-age=60' },
    schema: {
      operationId: 'listSongs',
      tags: ['songs'],
      summary: 'List songs',
      description: 'Songs in a stable order, a page at a time. Follow `next_cursor` until it is `null`; every page costs the same, however deep.',
      security: NO_TOKEN,
      querystring: ListSongsQuery,
      response: {
        200: jsonResponse('A page of songs.', SongPage, songPageExample),
        ...problemResponses({ field: 'querystring.limit', message: 'must be <= 100' })
      }
    }
  }, async function (request) {
    const { limit, cursor } = request.query
    return fastify.catalogRepository.list(limit, cursor === undefined ? undefined : decodeCursor(cursor))
  })
}

export default listSongs
