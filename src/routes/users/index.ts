import type { FastifyPluginAsync } from 'fastify'
import changePassword from './change-password.ts'
import createUser from './create-user.ts'
import me from './me.ts'

const users: FastifyPluginAsync = async function (fastify) {
  await fastify.register(createUser)
  await fastify.register(me)
  await fastify.register(changePassword)
}

export default users
