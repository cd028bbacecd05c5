import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { unauthorized } from '../../lib/problems/accounts.ts'
import { signedInUserId } from '../../plugins/app/authentication.ts'
import { problemResponsesOnly } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'

const logoutAll: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.post('/logout-all', {
    config: { cacheControl: 'no-store' },
    preHandler: fastify.authenticate,
    schema: {
      operationId: 'signOutEverywhere',
      tags: ['accounts'],
      summary: 'Sign out everywhere',
      description: 'Ends every session of the signed-in user, on every device and every instance at once: each refresh ' +
        'token stops working, and each access token (the one sent included) is refused from the next request on. ' +
        'For a lost or stolen device. Sign in again for new tokens.',
      security: TOKEN_REQUIRED,
      response: {
        204: Type.Null({ description: 'Every session is ended.' }),
        ...problemResponsesOnly(401, 429, 500, 503)
      }
    }
  }, async function (request, reply) {
    const userId = signedInUserId(request)
    // Deleted between the token check and this write.
    if (!await fastify.usersRepository.endAllSessions(userId)) throw unauthorized(true)
    fastify.auditLog(request, 'logout_all', userId)
    return reply.code(204).send(null)
  })
}

export default logoutAll
