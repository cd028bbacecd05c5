import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { canonicalUsername } from './users-repository.ts'
import { rateLimited } from '../../lib/problems/rate-limit.ts'

declare module 'fastify' {
  interface FastifyInstance {
    signInLimiter: SignInLimiter
  }
}

interface SignInLimiter {
  /** preHandler of `POST /auth/token`: counts the attempt against its username and client IP; a 429 past the limit. */
  attempt: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  /** The attempt succeeded: it does not count as a failure. */
  succeeded: (request: FastifyRequest) => Promise<void>
  /** As `attempt`, for another check of `username`'s password (a password change): the same counts. */
  attemptFor: (request: FastifyRequest, reply: FastifyReply, username: string) => Promise<void>
  /** As `succeeded`, for an `attemptFor`. */
  succeededFor: (request: FastifyRequest, username: string) => Promise<void>
}

/**
 * Limits failed sign-ins per username (guessing one account's password from many addresses) and per client IP
 * (trying many accounts from one address): `SIGN_IN_MAX_FAILURES` within `SIGN_IN_WINDOW_SECONDS`, then 429 with
 * `Retry-After` until the window ends. Each attempt is counted before the password is checked and given back when
 * it succeeds, so parallel guesses cannot slip past the limit while their hashes are being checked. Counted in
 * Redis when `REDIS_URL` is set, so every instance sees the same counts; in memory while Redis is away.
 */
export default fp(async function signInLimiter (fastify) {
  const { signInMaxFailures: points, signInWindowSeconds: duration } = fastify.config
  const memory = (keyPrefix: string) => new RateLimiterMemory({ keyPrefix, points, duration })
  const limiter = (keyPrefix: string): RateLimiterAbstract => fastify.redis
    ? new RateLimiterRedis({ storeClient: fastify.redis, keyPrefix, points, duration, insuranceLimiter: memory(keyPrefix) })
    : memory(keyPrefix)
  const byUsername = limiter('sign-in-failures:username')
  const byIp = limiter('sign-in-failures:ip')
  // Runs after validation: the body is `Credentials`.
  const usernameOf = (request: FastifyRequest) => (request.body as { username: string }).username

  async function attemptFor (request: FastifyRequest, reply: FastifyReply, username: string) {
    const results = await Promise.allSettled([byUsername.consume(canonicalUsername(username)), byIp.consume(request.ip)])
    const limited = results.flatMap(result => result.status === 'rejected' && result.reason instanceof RateLimiterRes ? [result.reason] : [])
    for (const result of results) {
      if (result.status === 'rejected' && !(result.reason instanceof RateLimiterRes)) request.log.warn({ err: result.reason }, 'sign-in limiter unavailable')
    }
    if (limited.length === 0) return
    const seconds = Math.max(1, Math.ceil(Math.max(...limited.map(result => result.msBeforeNext)) / 1000))
    reply.header('retry-after', seconds)
    throw rateLimited(`${seconds} seconds`)
  }

  async function succeededFor (request: FastifyRequest, username: string) {
    await Promise.allSettled([byUsername.reward(canonicalUsername(username)), byIp.reward(request.ip)])
  }

  fastify.decorate('signInLimiter', {
    attempt: (request, reply) => attemptFor(request, reply, usernameOf(request)),
    succeeded: request => succeededFor(request, usernameOf(request)),
    attemptFor,
    succeededFor
  } satisfies SignInLimiter)
}, { name: 'sign-in-limiter', dependencies: ['redis'] })
