import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { decodeCursor } from '../../lib/cursor.ts'
import { problemResponses } from '../../schemas/responses.ts'
import { ref } from '../../schemas/ref.ts'
import { ListSongsQuery, SongPage } from '../../schemas/songs.ts'

const listSongs: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/', {
    config: { cacheControl: 'public, max-age=60' },
    schema: {
      operationId: 'listSongs',
      tags: ['songs'],
      summary: 'List songs',
      description: 'Songs in a stable order, a page at a time. Follow `next_cursor` until it is `null`; every page costs the same, however deep.',
      querystring: ListSongsQuery,
      response: { 200: ref(SongPage), ...problemResponses(400) }
    }
  }, async function (request) {
    const { limit, cursor } = request.query
    return fastify.songsRepository.list(limit, cursor === undefined ? undefined : decodeCursor(cursor))
  })
}

export default listSongs
