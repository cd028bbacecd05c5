import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { difficultyAverageExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { NO_TOKEN } from '../../schemas/security.ts'
import { DifficultyAverage, DifficultyQuery } from '../../schemas/songs.ts'

const averageDifficulty: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/avg/difficulty', {
    config: { cacheControl: 'public, max-age=60' },
    schema: {
      operationId: 'getAverageDifficulty',
      tags: ['songs'],
      summary: 'Average difficulty',
      description: 'The average difficulty of the whole catalog, or of one level. A level without songs gives `null` and `0`.',
      security: NO_TOKEN,
      querystring: DifficultyQuery,
      response: {
        200: jsonResponse('The average and how many songs it covers.', DifficultyAverage, difficultyAverageExample),
        ...problemResponses({ field: 'querystring.level', message: 'must be >= 1' })
      }
    }
  }, async function (request) {
    return fastify.catalogRepository.averageDifficulty(request.query.level)
  })
}

export default averageDifficulty
