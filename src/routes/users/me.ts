import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { signedInUserId } from '../../plugins/app/authentication.ts'
import { userExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponsesOnly } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { User } from '../../schemas/users.ts'
import { unauthorized } from '../../lib/problems/accounts.ts'

const me: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/me', {
    config: { cacheControl: 'private, no-cache' },
    preHandler: fastify.authenticate,
    schema: {
      operationId: 'getCurrentUser',
      tags: ['accounts'],
      summary: 'The signed-in user',
      description: 'The account the bearer token belongs to.',
      security: TOKEN_REQUIRED,
      response: {
        200: jsonResponse('The signed-in user.', User, userExample),
        ...problemResponsesOnly(401, 429, 500, 503)
      }
    }
  }, async function (request) {
    const user = await fastify.usersRepository.findById(signedInUserId(request))
    // Deleted between the token check and this read.
    if (!user) throw unauthorized(true)
    return user
  })
}

export default me
