import type { FastifyPluginAsync } from 'fastify'
import signIn from './sign-in.ts'

const auth: FastifyPluginAsync = async function (fastify) {
  await fastify.register(signIn)
}

export default auth
