import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { RatingInput, RatingSummary } from '../../schemas/ratings.ts'
import { problemResponses } from '../../schemas/responses.ts'
import { ref } from '../../schemas/ref.ts'
import { songNotFound } from './song-not-found.ts'

const rateSong: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.post('/rating', {
    config: { cacheControl: 'no-store' },
    schema: {
      operationId: 'rateSong',
      tags: ['ratings'],
      summary: 'Rate a song',
      description: 'Stores a rating of 1–5 stars and answers with the song\'s rating summary including it.',
      body: ref(RatingInput),
      response: { 201: ref(RatingSummary), ...problemResponses(400, 404, 413, 415) }
    }
  }, async function (request, reply) {
    const { song_id: songId, rating } = request.body
    const summary = await fastify.songsRepository.rate(ObjectId.createFromHexString(songId), rating)
    if (!summary) throw songNotFound(songId)
    return reply.code(201).send(summary)
  })
}

export default rateSong
