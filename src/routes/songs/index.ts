import type { FastifyPluginAsync } from 'fastify'
import averageDifficulty from './average-difficulty.ts'
import createSong from './create-song.ts'
import deleteSong from './delete-song.ts'
import getSong from './get-song.ts'
import listSongs from './list-songs.ts'
import rateSong from './rate-song.ts'
import ratingSummary from './rating-summary.ts'
import searchSongs from './search-songs.ts'
import updateSong from './update-song.ts'

const songs: FastifyPluginAsync = async function (fastify) {
  await fastify.register(listSongs)
  await fastify.register(searchSongs)
  await fastify.register(averageDifficulty)
  await fastify.register(rateSong)
  await fastify.register(ratingSummary)
  await fastify.register(getSong)
  await fastify.register(createSong)
  await fastify.register(updateSong)
  await fastify.register(deleteSong)
}

export default songs
