import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { decodeCursor } from '../../lib/cursor.ts'
import { searchWords } from '../../lib/search-words.ts'
import { searchTermsNotBuilt } from '../../lib/problems/catalog.ts'
import { searchResultExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { TOKEN_OPTIONAL } from '../../schemas/security.ts'
import { SearchSongsQuery, SongPage } from '../../schemas/songs.ts'

const searchSongs: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/search', {
    config: { cacheControl: 'public, max-age=60', perCaller: true },
    schema: {
      operationId: 'searchSongs',
      tags: ['songs'],
      summary: 'Search songs by artist and title',
      description: 'Every word of `message` must start a word of the artist or the title ("yousic", "ALABAMA sun", "can\'t"). Case, accents and punctuation are ignored. Paged like `GET /songs`, except that a page of several words that are each common but rarely together may hold fewer than `limit` songs, even none, with a `next_cursor` to go on: the end is `next_cursor: null`. Every request reads a bounded number of index entries. With `level`, only that level\'s songs, under the same bound: a page may be short, with a `next_cursor`. ' +
        'Each song carries its `rating`, and with a bearer token `my_rating`, as in `GET /songs`.',
      security: TOKEN_OPTIONAL,
      querystring: SearchSongsQuery,
      response: {
        200: jsonResponse('A page of the matching songs with their ratings.', SongPage, searchResultExample),
        ...problemResponses({ field: 'querystring.message', message: 'must NOT have fewer than 1 characters' }, 401)
      }
    }
  }, async function (request, reply) {
    const { message, limit, cursor, level } = request.query
    return fastify.readAsViewer(request, reply, async viewer => {
      if (!await fastify.searchTermsBuilt()) throw searchTermsNotBuilt()
      return fastify.catalogRepository.search(searchWords(message), limit, cursor === undefined ? undefined : decodeCursor(cursor), { level, viewer })
    })
  })
}

export default searchSongs
