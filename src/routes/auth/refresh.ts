import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { RefreshRequest } from '../../schemas/auth.ts'
import { ref } from '../../schemas/ref.ts'
import { NO_TOKEN } from '../../schemas/security.ts'
import { tokenPair, tokenPairResponses } from './token-pair.ts'
import { invalidRefreshToken } from '../../lib/problems/accounts.ts'

const refresh: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.post('/refresh', {
    config: { cacheControl: 'no-store' },
    schema: {
      operationId: 'refreshTokens',
      tags: ['accounts'],
      summary: 'New tokens for a refresh token',
      description: 'Exchanges a refresh token for a new access token and a new refresh token. Each refresh token works ' +
        'once: presenting one that was already exchanged revokes every refresh token of its user (it was copied). ' +
        'Refresh tokens of a disabled account, or issued before a password change or a sign-out everywhere, are refused.',
      security: NO_TOKEN,
      body: ref(RefreshRequest),
      response: tokenPairResponses('New tokens; the refresh token sent no longer works.', { field: 'body.refresh_token', message: 'must match pattern "^[A-Za-z0-9_-]+$"' },
        invalidRefreshToken(), 'The refresh token is unknown, expired, revoked, already used, of a disabled account or of an ended session (`INVALID_REFRESH_TOKEN`); sign in again.')
    }
  }, async function (request) {
    const rotated = await fastify.refreshTokensRepository.rotate(request.body.refresh_token)
    if (!rotated) throw invalidRefreshToken()
    const access = await fastify.usersRepository.access(rotated.userId)
    if (!access) {
      await fastify.refreshTokensRepository.revokeAll(rotated.userId)
      throw invalidRefreshToken()
    }
    // The user's other sessions (a newer version) are not the presenter's to end: only the successor goes.
    if (access.disabled || access.sessionVersion !== rotated.sessionVersion) {
      await fastify.refreshTokensRepository.revoke(rotated.token)
      throw invalidRefreshToken()
    }
    return tokenPair(fastify, rotated.userId, rotated.sessionVersion, rotated.token)
  })
}

export default refresh
