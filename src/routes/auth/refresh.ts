import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { RefreshRequest, TokenPair } from '../../schemas/auth.ts'
import { tokenPairExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponse, problemResponses } from '../../schemas/responses.ts'
import { ref } from '../../schemas/ref.ts'
import { NO_TOKEN } from '../../schemas/security.ts'
import { invalidRefreshToken } from './invalid-refresh-token.ts'
import { tokenPair } from './token-pair.ts'

const refresh: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.post('/refresh', {
    config: { cacheControl: 'no-store' },
    schema: {
      operationId: 'refreshTokens',
      tags: ['accounts'],
      summary: 'New tokens for a refresh token',
      description: 'Exchanges a refresh token for a new access token and a new refresh token. Each refresh token works ' +
        'once: presenting one that was already exchanged revokes every refresh token of its user (it was copied).',
      security: NO_TOKEN,
      body: ref(RefreshRequest),
      response: {
        200: jsonResponse('New tokens; the refresh token sent no longer works.', TokenPair, tokenPairExample),
        ...problemResponses({ field: 'body.refresh_token', message: 'must match pattern "^[A-Za-z0-9_-]+$"' }, 413, 415),
        401: problemResponse(401, invalidRefreshToken().problem, 'The refresh token is unknown, expired, revoked or already used (`INVALID_REFRESH_TOKEN`); sign in again.')
      }
    }
  }, async function (request) {
    const rotated = await fastify.refreshTokensRepository.rotate(request.body.refresh_token)
    if (!rotated) throw invalidRefreshToken()
    const user = await fastify.usersRepository.findById(rotated.userId)
    if (!user) {
      await fastify.refreshTokensRepository.revokeAll(rotated.userId)
      throw invalidRefreshToken()
    }
    return tokenPair(fastify, user, rotated.token)
  })
}

export default refresh
