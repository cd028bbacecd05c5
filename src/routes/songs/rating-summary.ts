import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { RatingSummary } from '../../schemas/ratings.ts'
import { SongIdParams } from '../../schemas/songs.ts'
import { ratingSummaryExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { NO_TOKEN } from '../../schemas/security.ts'
import { songNotFound } from '../../lib/problems/catalog.ts'

const ratingSummary: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/avg/rating/:song_id', {
    config: { cacheControl: 'public, max-age=5' },
    schema: {
      operationId: 'getRatingSummary',
      tags: ['ratings'],
      summary: 'Rating summary of a song',
      description: 'Average, lowest and highest rating and how many there are; nulls and 0 before the first rating.',
      security: NO_TOKEN,
      params: SongIdParams,
      response: {
        200: jsonResponse('The song\'s rating summary.', RatingSummary, ratingSummaryExample),
        ...problemResponses({ field: 'params.song_id', message: 'must match pattern "^[0-9a-f]{24}$"' }, 404)
      }
    }
  }, async function (request) {
    const { song_id: songId } = request.params
    const summary = await fastify.ratingsRepository.summary(ObjectId.createFromHexString(songId))
    if (!summary) throw songNotFound(songId)
    return summary
  })
}

export default ratingSummary
