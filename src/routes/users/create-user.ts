import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { userExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponse, problemResponses } from '../../schemas/responses.ts'
import { ref } from '../../schemas/ref.ts'
import { NO_TOKEN } from '../../schemas/security.ts'
import { Credentials, User } from '../../schemas/users.ts'
import { usernameTaken } from '../../lib/problems/accounts.ts'

const createUser: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.post('/', {
    config: { cacheControl: 'no-store' },
    schema: {
      operationId: 'createUser',
      tags: ['accounts'],
      summary: 'Sign up',
      description: 'Creates an account with the role `user`. Sign in with `POST /auth/token` to get tokens.',
      security: NO_TOKEN,
      body: ref(Credentials),
      response: {
        201: jsonResponse('The account is created.', User, userExample),
        ...problemResponses({ field: 'body.password', message: 'must NOT have fewer than 12 characters' }, 413, 415),
        409: problemResponse(409, usernameTaken(userExample.username).problem, 'The username is taken, in any case (`USERNAME_TAKEN`).')
      }
    }
  }, async function (request, reply) {
    const { username, password } = request.body
    const user = await fastify.usersRepository.create(username, password)
    if (!user) throw usernameTaken(username)
    return reply.code(201).send(user)
  })
}

export default createUser
