import fastifyJwt from '@fastify/jwt'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** What an access token carries besides `iat` and `exp`. */
export interface AccessTokenClaims {
  sub: string
  roles: string[]
}

/** The caller a valid access token names. */
export interface SignedInUser {
  id: string
  roles: string[]
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessTokenClaims
    user: SignedInUser
  }
}

/**
 * Access tokens are HS256 JWTs signed with `JWT_SECRET`. Verification accepts HS256 only: a token that names
 * another algorithm (`none`, HS512, RS256 with the secret as a public key, …) is refused before its signature
 * is looked at.
 */
export default fp(async function jwt (fastify: FastifyInstance) {
  const { jwtSecret, jwtSecretGenerated, accessTokenTtlSeconds } = fastify.config
  if (jwtSecretGenerated) fastify.log.warn('JWT_SECRET is not set: access tokens are signed with a random secret and stop working when this process restarts')
  await fastify.register(fastifyJwt, {
    secret: jwtSecret,
    sign: { algorithm: 'HS256', expiresIn: accessTokenTtlSeconds },
    verify: { algorithms: ['HS256'] }
  })
}, { name: 'jwt' })
