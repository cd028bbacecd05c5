import { createHash } from 'node:crypto'
import fastifyJwt from '@fastify/jwt'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * What an access token carries besides `iat` and `exp`: who (`sub`) and the session version of that user when it
 * was issued. Roles are not in it: they are read from the user at every request.
 */
export interface AccessTokenClaims {
  sub: string
  session_version: number
}

/** The caller a valid access token names, with the roles the user has now. */
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
 * The `kid` of the tokens a secret signs: 16 hex digits of its SHA-256. It names the key without revealing it (a
 * one-way hash of at least 32 random bytes), so a token says which secret to check it with.
 */
export function keyId (secret: Buffer): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16)
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The claims of a valid access token, checked with the secret its `kid` names; throws for any other token. */
    verifyAccessToken: (token: string) => unknown
  }
}

/** The `kid` of a JWT's header, without checking anything else; undefined when there is none. */
function kidOf (token: string): unknown {
  try {
    return (JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString()) as { kid?: unknown }).kid
  } catch {
    return undefined
  }
}

/**
 * Access tokens are HS256 JWTs signed with `JWT_SECRET`, their header's `kid` naming it. Verification accepts HS256
 * only (a token naming `none`, HS512, RS256 with the secret as a public key … is refused before its signature is
 * looked at) and checks the signature with the secret the `kid` names: `JWT_SECRET`, or one of
 * `JWT_PREVIOUS_SECRETS`, so tokens signed before a rotation keep working until they expire. A token whose `kid`
 * names no configured secret is refused.
 */
export default fp(async function jwt (fastify: FastifyInstance) {
  const { jwtSecret, jwtSecretGenerated, jwtPreviousSecrets, accessTokenTtlSeconds } = fastify.config
  if (jwtSecretGenerated) fastify.log.warn('JWT_SECRET is not set: access tokens are signed with a random secret and stop working when this process restarts')
  const currentKeyId = keyId(jwtSecret)
  const previousSecrets = new Map(jwtPreviousSecrets.map(secret => [keyId(secret), secret]))
  await fastify.register(fastifyJwt, {
    secret: jwtSecret,
    sign: { algorithm: 'HS256', expiresIn: accessTokenTtlSeconds, kid: currentKeyId },
    verify: { algorithms: ['HS256'] }
  })

  fastify.decorate('verifyAccessToken', function verifyAccessToken (token: string): unknown {
    const kid = kidOf(token)
    // The current secret's verifier is built once; a previous secret's, only while its tokens are still about.
    if (kid === currentKeyId) return fastify.jwt.verify(token)
    const previous = typeof kid === 'string' ? previousSecrets.get(kid) : undefined
    if (!previous) throw new Error('the token names no key of this API')
    return fastify.jwt.verify(token, { key: previous })
  })
}, { name: 'jwt' })
