import type { FastifyPluginAsync } from 'fastify'
import logoutAll from './logout-all.ts'
import refresh from './refresh.ts'
import signIn from './sign-in.ts'
import signOut from './sign-out.ts'

const auth: FastifyPluginAsync = async function (fastify) {
  await fastify.register(signIn)
  await fastify.register(refresh)
  await fastify.register(signOut)
  await fastify.register(logoutAll)
}

export default auth
