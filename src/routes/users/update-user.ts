import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { userExample, userPatchExample } from '../../schemas/examples.ts'
import { ref } from '../../schemas/ref.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { UserIdParams, UserPatch } from '../../schemas/user-directory.ts'
import { User } from '../../schemas/users.ts'
import { lastAdminResponse } from './last-admin-response.ts'
import { userNotFound } from '../../lib/problems/accounts.ts'
import { userNotFoundResponse } from './user-not-found-response.ts'

const updateUser: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.patch('/:user_id', {
    config: { cacheControl: 'no-store' },
    preHandler: [fastify.authenticate, fastify.isAdmin],
    schema: {
      operationId: 'updateUser',
      tags: ['users'],
      summary: 'Change a user\'s roles or disable it (admin)',
      description: 'Changes `roles`, `disabled` or both. It applies from the user\'s very next request: every request ' +
        'reads the account\'s roles and state. Disabling ends every session of the account; enabling it again lets it ' +
        'sign in, while its old tokens stay refused.',
      security: TOKEN_REQUIRED,
      params: UserIdParams,
      body: ref(UserPatch),
      response: {
        200: jsonResponse('The user as it is now.', User, { ...userExample, ...userPatchExample }),
        ...problemResponses({ field: 'body', message: 'must NOT have fewer than 1 properties' }, 401, 403, 413, 415),
        404: userNotFoundResponse,
        409: lastAdminResponse
      }
    }
  }, async function (request) {
    const { user_id: userId } = request.params
    const user = await fastify.userDirectoryRepository.update(ObjectId.createFromHexString(userId), request.body)
    if (!user) throw userNotFound(userId)
    fastify.auditLog(request, 'user_update', userId)
    return user
  })
}

export default updateUser
