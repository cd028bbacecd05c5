import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { decodeCursor } from '../../lib/cursor.ts'
import { searchWords } from '../../lib/search-words.ts'
import { searchTermsNotBuilt } from '../../lib/problems/catalog.ts'
import { searchResultExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { NO_TOKEN } from '../../schemas/security.ts'
import { SearchSongsQuery, SongPage } from '../../schemas/songs.ts'

const searchSongs: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/search', {
    config: { cacheControl: 'public, max-age=60' },
    schema: {
      operationId: 'searchSongs',
      tags: ['songs'],
      summary: 'Search songs by artist and title',
      description: 'Every word of `message` must start a word of the artist or the title ("yousic", "ALABAMA sun", "can\'t"). Case, accents and punctuation are ignored. Paged like `GET /songs`, except that a page of several words that are each common but rarely together may hold fewer than `limit` songs, even none, with a `next_cursor` to go on: the end is `next_cursor: null`. Every request reads a bounded number of index entries.',
      security: NO_TOKEN,
      querystring: SearchSongsQuery,
      response: {
        200: jsonResponse('A page of the matching songs.', SongPage, searchResultExample),
        ...problemResponses({ field: 'querystring.message', message: 'must NOT have fewer than 1 characters' })
      }
    }
  }, async function (request) {
    const { message, limit, cursor } = request.query
    if (!await fastify.searchTermsBuilt()) throw searchTermsNotBuilt()
    return fastify.catalogRepository.search(searchWords(message), limit, cursor === undefined ? undefined : decodeCursor(cursor))
  })
}

export default searchSongs
