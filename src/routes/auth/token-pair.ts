import type { FastifyInstance } from 'fastify'
import type { Static } from 'typebox'
import type { TokenPair } from '../../schemas/auth.ts'
import type { SignedInUser } from '../../plugins/external/jwt.ts'

/** What a sign-in or a refresh answers: a fresh access token for `user` beside the refresh token. */
export function tokenPair (fastify: FastifyInstance, user: SignedInUser, refreshToken: string): Static<typeof TokenPair> {
  return {
    access_token: fastify.jwt.sign({ sub: user.id, roles: user.roles }),
    token_type: 'Bearer',
    expires_in: fastify.config.accessTokenTtlSeconds,
    refresh_token: refreshToken
  }
}
