import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ObjectId } from 'mongodb'
import { forbidden, unauthorized } from '../../lib/problems/accounts.ts'
import type { AccessTokenClaims, SignedInUser } from '../external/jwt.ts'

type PreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

declare module 'fastify' {
  interface FastifyInstance {
    /** Requires a valid bearer token of an existing, enabled user, of the user's current session version; else a 401. */
    authenticate: PreHandler
    /** Anonymous without an `Authorization` header; with one, as `authenticate`. */
    authenticateOptional: PreHandler
    /** After `authenticate`: a 403 unless the caller has the `admin` role (read from the user, not the token). */
    isAdmin: PreHandler
    /**
     * For a read that answers differently to a signed-in caller (their own ratings): runs `read` with the token's
     * user id while that user is checked, instead of after, and answers only once the check passed (a 401 as
     * `authenticateOptional` would, whatever the read did). Anonymous requests read with no viewer.
     */
    readAsViewer: <T>(request: FastifyRequest, reply: FastifyReply, read: (viewer: ObjectId | undefined) => Promise<T>) => Promise<T>
  }
}

// A JWT is three base64url parts; ours are a few hundred characters, so a much longer header is not one of them.
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/i
const MAX_HEADER_LENGTH = 4096
const OBJECT_ID = /^[0-9a-f]{24}$/

/** The caller, once `authenticate`, `authenticateOptional` or `readAsViewer` has accepted a token (roles as the user has them now); undefined for anonymous requests. */
export function signedInUser (request: FastifyRequest): SignedInUser | undefined {
  return request.user ?? undefined
}

/** The id of the caller `authenticate` accepted, for routes that require a token. */
export function signedInUserId (request: FastifyRequest): ObjectId {
  return ObjectId.createFromHexString(signedInUser(request)!.id)
}

function isClaims (claims: unknown): claims is AccessTokenClaims {
  const { sub, session_version: sessionVersion } = claims as { sub?: unknown, session_version?: unknown }
  return typeof sub === 'string' && OBJECT_ID.test(sub) && Number.isSafeInteger(sessionVersion) && (sessionVersion as number) >= 0
}

/**
 * Bearer tokens are checked without a database read (signature by `kid`, algorithm, expiry); the signature makes
 * `sub` and `session_version` trustworthy. Then one point read by `_id` fetches what decides access now: the user
 * must still exist, not be disabled, and have the token's session version (raised to end every session), and the
 * caller's roles are the user's, not the token's. So a deletion, a disabling, a password change, a sign-out
 * everywhere or a role change applies to the very next request, on every instance.
 */
export default fp(async function authentication (fastify) {
  function reject (reply: FastifyReply, tokenSent: boolean): never {
    reply.header('www-authenticate', tokenSent ? 'Bearer error="invalid_token"' : 'Bearer')
    throw unauthorized(tokenSent)
  }

  /** The token's claims, checked without a database read (signature by `kid`, algorithm, expiry). */
  function claimsOf (reply: FastifyReply, header: string): AccessTokenClaims {
    // Another scheme (`Basic …`) carries no bearer credentials; a `Bearer` header with anything wrong is an invalid token.
    if (!/^Bearer\b/i.test(header)) reject(reply, false)
    const token = header.length <= MAX_HEADER_LENGTH ? BEARER.exec(header)?.[1] : undefined
    if (!token) reject(reply, true)
    let claims: unknown
    try {
      claims = fastify.verifyAccessToken(token)
    } catch {
      reject(reply, true)
    }
    if (!isClaims(claims)) reject(reply, true)
    return claims
  }

  /** The one read: the token's user as it is now decides, and the caller's roles are theirs. */
  async function admit (request: FastifyRequest, reply: FastifyReply, claims: AccessTokenClaims): Promise<void> {
    const access = await fastify.usersRepository.access(ObjectId.createFromHexString(claims.sub))
    if (!access || access.disabled || access.sessionVersion !== claims.session_version) reject(reply, true)
    request.user = { id: claims.sub, roles: access.roles }
  }

  fastify.decorate('authenticate', async function authenticate (request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization
    if (header === undefined) reject(reply, false)
    await admit(request, reply, claimsOf(reply, header))
  })

  fastify.decorate('authenticateOptional', async function authenticateOptional (request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization
    if (header !== undefined) await admit(request, reply, claimsOf(reply, header))
  })

  fastify.decorate('readAsViewer', async function readAsViewer<T> (request: FastifyRequest, reply: FastifyReply, read: (viewer: ObjectId | undefined) => Promise<T>): Promise<T> {
    const header = request.headers.authorization
    if (header === undefined) return read(undefined)
    const claims = claimsOf(reply, header)
    // Settled both: the check's refusal is the answer even when the read failed too.
    const [admitted, answer] = await Promise.allSettled([admit(request, reply, claims), read(ObjectId.createFromHexString(claims.sub))])
    if (admitted.status === 'rejected') throw admitted.reason
    if (answer.status === 'rejected') throw answer.reason
    return answer.value
  })

  fastify.decorate('isAdmin', async function isAdmin (request: FastifyRequest) {
    if (!signedInUser(request)?.roles.includes('admin')) throw forbidden()
  })
}, { name: 'authentication', dependencies: ['jwt'] })
