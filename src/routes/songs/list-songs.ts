import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { decodeSongListCursor } from '../../lib/song-list-cursor.ts'
import { songPageExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { TOKEN_OPTIONAL } from '../../schemas/security.ts'
import { ListSongsQuery, SongPage } from '../../schemas/songs.ts'

const listSongs: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/', {
    config: { cacheControl: 'public, max-age=60', perCaller: true },
    schema: {
      operationId: 'listSongs',
      tags: ['songs'],
      summary: 'List songs',
      description: 'Songs a page at a time: all of them or one `level`\'s, in a stable order or easiest first (`sort=difficulty`). ' +
        'Follow `next_cursor` until it is `null`; every page costs the same, however deep. Each song carries its `rating` ' +
        '(average and count, as `GET /songs/avg/rating/{song_id}` answers), and with a bearer token `my_rating`, the caller\'s own stars.',
      security: TOKEN_OPTIONAL,
      querystring: ListSongsQuery,
      response: {
        200: jsonResponse('A page of songs with their ratings.', SongPage, songPageExample),
        ...problemResponses({ field: 'querystring.limit', message: 'must be <= 100' }, 401)
      }
    }
  }, async function (request, reply) {
    const { limit, cursor, level, sort } = request.query
    const order = { level, sort }
    return fastify.readAsViewer(request, reply, async viewer =>
      fastify.catalogRepository.list(limit, order, cursor === undefined ? undefined : decodeSongListCursor(order, cursor), viewer))
  })
}

export default listSongs
