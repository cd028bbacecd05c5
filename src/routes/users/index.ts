import type { FastifyPluginAsync } from 'fastify'
import changePassword from './change-password.ts'
import createUser from './create-user.ts'
import deleteMe from './delete-me.ts'
import deleteUser from './delete-user.ts'
import exportMe from './export-me.ts'
import getUser from './get-user.ts'
import listUsers from './list-users.ts'
import me from './me.ts'
import updateUser from './update-user.ts'

const users: FastifyPluginAsync = async function (fastify) {
  await fastify.register(createUser)
  await fastify.register(me)
  await fastify.register(changePassword)
  await fastify.register(deleteMe)
  await fastify.register(exportMe)
  // Admins
  await fastify.register(listUsers)
  await fastify.register(getUser)
  await fastify.register(updateUser)
  await fastify.register(deleteUser)
}

export default users
