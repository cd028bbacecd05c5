import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { RefreshRequest } from '../../schemas/auth.ts'
import { problemResponses } from '../../schemas/responses.ts'
import { ref } from '../../schemas/ref.ts'
import { NO_TOKEN } from '../../schemas/security.ts'

const signOut: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.post('/logout', {
    config: { cacheControl: 'no-store' },
    schema: {
      operationId: 'signOut',
      tags: ['accounts'],
      summary: 'Sign out',
      description: 'Revokes the refresh token, so it can no longer be exchanged. An access token already handed out ' +
        'stays valid until it expires (`expires_in`, 15 minutes by default); `POST /auth/logout-all` ends those too. ' +
        'A token that is not valid is a 204 as well: either way it no longer works.',
      security: NO_TOKEN,
      body: ref(RefreshRequest),
      response: {
        204: Type.Null({ description: 'The refresh token is revoked.' }),
        ...problemResponses({ field: 'body.refresh_token', message: 'must match pattern "^[A-Za-z0-9_-]+$"' }, 413, 415)
      }
    }
  }, async function (request, reply) {
    const userId = await fastify.refreshTokensRepository.revoke(request.body.refresh_token)
    if (userId) fastify.auditLog(request, 'sign_out', userId)
    return reply.code(204).send(null)
  })
}

export default signOut
