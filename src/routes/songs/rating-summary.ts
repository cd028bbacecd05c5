import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { RatingSummary, SongIdParams } from '../../schemas/ratings.ts'
import { problemResponses } from '../../schemas/responses.ts'
import { ref } from '../../schemas/ref.ts'
import { songNotFound } from './song-not-found.ts'

const ratingSummary: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/avg/rating/:song_id', {
    config: { cacheControl: 'public, max-age=5' },
    schema: {
      operationId: 'getRatingSummary',
      tags: ['ratings'],
      summary: 'Rating summary of a song',
      description: 'Average, lowest and highest rating and how many there are; nulls and 0 before the first rating.',
      params: SongIdParams,
      response: { 200: ref(RatingSummary), ...problemResponses(400, 404) }
    }
  }, async function (request) {
    const { song_id: songId } = request.params
    const summary = await fastify.songsRepository.ratingSummary(ObjectId.createFromHexString(songId))
    if (!summary) throw songNotFound(songId)
    return summary
  })
}

export default ratingSummary
