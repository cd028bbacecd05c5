import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { problemResponses } from '../../schemas/responses.ts'
import { ref } from '../../schemas/ref.ts'
import { DifficultyAverage, DifficultyQuery } from '../../schemas/songs.ts'

const averageDifficulty: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/avg/difficulty', {
    config: { cacheControl: 'public, max-age=60' },
    schema: {
      operationId: 'getAverageDifficulty',
      tags: ['songs'],
      summary: 'Average difficulty',
      description: 'The average difficulty of the whole catalog, or of one level. A level without songs gives `null` and `0`.',
      querystring: DifficultyQuery,
      response: { 200: ref(DifficultyAverage), ...problemResponses(400) }
    }
  }, async function (request) {
    return fastify.songsRepository.averageDifficulty(request.query.level)
  })
}

export default averageDifficulty
