import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { UserIdParams } from '../../schemas/user-directory.ts'
import { deletionResponses } from './deletion-responses.ts'
import { lastAdminResponse } from './last-admin-response.ts'
import { userNotFound } from '../../lib/problems/accounts.ts'
import { userNotFoundResponse } from './user-not-found-response.ts'

const deleteUser: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.delete('/:user_id', {
    config: { cacheControl: 'no-store' },
    preHandler: [fastify.authenticate, fastify.isAdmin],
    schema: {
      operationId: 'deleteUser',
      tags: ['users'],
      summary: 'Delete a user (admin)',
      description: 'Deletes the account as `DELETE /users/me` does: at once it cannot sign in, its tokens are refused and ' +
        'its name is free; its ratings leave every summary, in the background for an account with many.',
      security: TOKEN_REQUIRED,
      params: UserIdParams,
      response: {
        ...deletionResponses,
        ...problemResponses({ field: 'params.user_id', message: 'must match pattern "^[0-9a-f]{24}$"' }, 401, 403),
        404: userNotFoundResponse,
        409: lastAdminResponse
      }
    }
  }, async function (request, reply) {
    const { user_id: userId } = request.params
    const outcome = await fastify.userDirectoryRepository.remove(ObjectId.createFromHexString(userId))
    if (!outcome) throw userNotFound(userId)
    fastify.auditLog(request, 'user_delete', userId)
    return reply.code(outcome === 'done' ? 204 : 202).send(null)
  })
}

export default deleteUser
