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
  /**
   * Runs `passwordCheck` (a check of `username`'s password: a sign-in, a password change, an account deletion) as
   * one attempt against the username and the client IP. Past the limit it is not run: a 429 with `Retry-After`.
   */
  check: <T>(request: FastifyRequest, reply: FastifyReply, username: string, passwordCheck: () => Promise<T>) => Promise<T>
}

/**
 * Limits failed sign-ins per username (guessing one account's password from many addresses) and per client IP
 * (trying many accounts from one address): `SIGN_IN_MAX_FAILURES` within `SIGN_IN_WINDOW_SECONDS`, then 429 with
 * `Retry-After` until the window ends. Each attempt is counted before the password is checked, so parallel guesses
 * cannot slip past the limit while their hashes are being checked, and given back unless the check found the
 * password wrong (answered null or false): a right password, or a check the database failed (a 503 the client
 * retries), is no failed sign-in. Counted in Redis when `REDIS_URL` is set, so every instance sees the same counts;
 * in memory while Redis is away.
 */
export default fp(async function signInLimiter (fastify) {
  const { signInMaxFailures: points, signInWindowSeconds: duration } = fastify.config
  const memory = (keyPrefix: string) => new RateLimiterMemory({ keyPrefix, points, duration })
  const limiter = (keyPrefix: string): RateLimiterAbstract => fastify.redis
    ? new RateLimiterRedis({ storeClient: fastify.redis, keyPrefix, points, duration, insuranceLimiter: memory(keyPrefix) })
    : memory(keyPrefix)
  const byUsername = limiter('sign-in-failures:username')
  const byIp = limiter('sign-in-failures:ip')

  async function consume (request: FastifyRequest, reply: FastifyReply, username: string) {
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

  async function check<T> (request: FastifyRequest, reply: FastifyReply, username: string, passwordCheck: () => Promise<T>): Promise<T> {
    await consume(request, reply, username)
    let wrongPassword = false
    try {
      const result = await passwordCheck()
      wrongPassword = result === null || result === false
      return result
    } finally {
      if (!wrongPassword) await Promise.allSettled([byUsername.reward(canonicalUsername(username)), byIp.reward(request.ip)])
    }
  }

  fastify.decorate('signInLimiter', { check } satisfies SignInLimiter)
}, { name: 'sign-in-limiter', dependencies: ['redis'] })
