import type { FastifyPluginAsync } from 'fastify'
import createUser from './create-user.ts'
import me from './me.ts'

const users: FastifyPluginAsync = async function (fastify) {
  await fastify.register(createUser)
  await fastify.register(me)
}

export default users
