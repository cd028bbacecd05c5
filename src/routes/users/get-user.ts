import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { adminExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { UserIdParams } from '../../schemas/user-directory.ts'
import { User } from '../../schemas/users.ts'
import { userNotFound } from '../../lib/problems/accounts.ts'
import { userNotFoundResponse } from './user-not-found-response.ts'

const getUser: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/:user_id', {
    config: { cacheControl: 'private, no-cache' },
    preHandler: [fastify.authenticate, fastify.isAdmin],
    schema: {
      operationId: 'getUser',
      tags: ['users'],
      summary: 'One user (admin)',
      description: 'The account with this id.',
      security: TOKEN_REQUIRED,
      params: UserIdParams,
      response: {
        200: jsonResponse('The user.', User, adminExample),
        ...problemResponses({ field: 'params.user_id', message: 'must match pattern "^[0-9a-f]{24}$"' }, 401, 403),
        404: userNotFoundResponse
      }
    }
  }, async function (request) {
    const { user_id: userId } = request.params
    const user = await fastify.usersRepository.findById(ObjectId.createFromHexString(userId))
    if (!user) throw userNotFound(userId)
    fastify.auditLog(request, 'user_view', userId)
    return user
  })
}

export default getUser
