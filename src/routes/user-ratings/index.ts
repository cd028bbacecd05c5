import type { FastifyPluginAsync } from 'fastify'
import deleteUserRating from './delete-user-rating.ts'
import getUserRating from './get-user-rating.ts'
import listUserRatings from './list-user-ratings.ts'

/** The signed-in user's own ratings: no route takes another user's id, so nobody can reach another's. */
const userRatings: FastifyPluginAsync = async function (fastify) {
  await fastify.register(listUserRatings)
  await fastify.register(getUserRating)
  await fastify.register(deleteUserRating)
}

export default userRatings
