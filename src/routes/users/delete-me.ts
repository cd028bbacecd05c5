import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { invalidCredentials, unauthorized } from '../../lib/problems/accounts.ts'
import { signedInUserId } from '../../plugins/app/authentication.ts'
import { ref } from '../../schemas/ref.ts'
import { problemResponse, problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { AccountDeletion } from '../../schemas/account-data.ts'
import { deletionResponses } from './deletion-responses.ts'
import { lastAdminResponse } from './last-admin-response.ts'

const deleteMe: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.delete('/me', {
    config: { cacheControl: 'no-store' },
    preHandler: fastify.authenticate,
    schema: {
      operationId: 'deleteCurrentUser',
      tags: ['accounts'],
      summary: 'Delete my account',
      description: 'Deletes the signed-in account, confirmed by its password. From this answer on it cannot sign in, every ' +
        'token of it is refused and its username is free for a new sign-up; its ratings are removed and every song\'s ' +
        'summary is as if they had never been given (anonymous ratings stay). A wrong password counts as a failed sign-in.',
      security: TOKEN_REQUIRED,
      body: ref(AccountDeletion),
      response: {
        ...deletionResponses,
        ...problemResponses({ field: 'body.password', message: 'must have required property \'password\'' }, 413, 415),
        401: problemResponse(401, unauthorized(true).problem, 'No valid bearer token (`UNAUTHORIZED`, as on every route that needs one), or the password is wrong (`INVALID_CREDENTIALS`, counted as a failed sign-in).'),
        409: lastAdminResponse
      }
    }
  }, async function (request, reply) {
    const userId = signedInUserId(request)
    const user = await fastify.usersRepository.findById(userId)
    // Deleted between the token check and this read.
    if (!user) throw unauthorized(true)
    const rightPassword = await fastify.signInLimiter.check(request, reply, user.username, () => fastify.usersRepository.verifyPassword(userId, request.body.password))
    if (!rightPassword) throw invalidCredentials()
    const outcome = await fastify.userDirectoryRepository.remove(userId)
    if (!outcome) throw unauthorized(true)
    fastify.auditLog(request, 'account_delete', userId)
    return reply.code(outcome === 'done' ? 204 : 202).send(null)
  })
}

export default deleteMe
