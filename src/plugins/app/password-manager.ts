import { randomBytes } from 'node:crypto'
import { hash, verify, type Algorithm } from '@node-rs/argon2'
import fp from 'fastify-plugin'
import { inSpan } from '../../tracing/spans.ts'

export type PasswordManager = Awaited<ReturnType<typeof passwordManager>>

declare module 'fastify' {
  interface FastifyInstance {
    passwordManager: PasswordManager
  }
}

/**
 * argon2id with OWASP's first recommended setting (Password Storage Cheat Sheet): 19 MiB of memory, 2 passes, one
 * lane. Memory-hard, so that guessing a stolen hash on GPUs costs memory as well as time, and about a thousand
 * times the CPU of verifying an access token (`npm run bench:sign-in`), which sign-in can afford. The parameters
 * are stored in each hash, so raising them later keeps old hashes verifiable.
 */
// `Algorithm` is a const enum, which this project's type stripping cannot inline: 2 is its `Argon2id`.
const ARGON2ID_ALGORITHM: Algorithm.Argon2id = 2

export const ARGON2ID = { algorithm: ARGON2ID_ALGORITHM, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const

// The span attributes name the algorithm and its cost, never the password or the hash.
const SPAN_ATTRIBUTES = { 'password.algorithm': 'argon2id', 'password.memory_kib': ARGON2ID.memoryCost, 'password.passes': ARGON2ID.timeCost }

/**
 * Hashes and checks passwords off the event loop (libuv's thread pool). `verifyUnknown` does the work of a
 * check against a hash of a random password, so that signing in as a name that does not exist takes as long as
 * a wrong password and tells an attacker nothing; its span has the same name as a real check's for the same reason.
 * With tracing on, each hash and check is a span of its own: the largest part of a sign-in's time.
 */
export async function passwordManager () {
  const dummyHash = await hash(randomBytes(32).toString('base64url'), ARGON2ID)
  const verifySpanned = inSpan('password verify', SPAN_ATTRIBUTES, verify)
  return {
    hash: inSpan('password hash', SPAN_ATTRIBUTES, (password: string) => hash(password, ARGON2ID)),
    verify: (passwordHash: string, password: string) => verifySpanned(passwordHash, password),
    verifyUnknown: async (password: string): Promise<false> => {
      await verifySpanned(dummyHash, password)
      return false
    }
  }
}

export default fp(async function passwordManagerPlugin (fastify) {
  fastify.decorate('passwordManager', await passwordManager())
}, { name: 'password-manager' })
