// npm run bench:sign-in: what one sign-in costs in CPU. Times argon2id (the parameters src/plugins/app/password-manager.ts
// uses) one at a time and with as many in flight as libuv has threads, beside two baselines measured in the same run:
// verifying an access token (what every authenticated request does instead) and a SHA-256 (what a fast hash costs).
import { createHash, randomBytes } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { createSigner, createVerifier } from 'fast-jwt'
import { ARGON2ID, passwordManager } from '../src/plugins/app/password-manager.ts'

const ROUNDS = Number(process.argv[2] ?? 40)
const THREADS = Number(process.env.UV_THREADPOOL_SIZE ?? 4)

async function perSecond (label: string, count: number, action: (i: number) => Promise<unknown> | unknown, inFlight = 1) {
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < count) await action(next++)
  }))
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  console.log(`${label.padEnd(58)} ${(ms / count).toFixed(3).padStart(9)} ms each  ${(count / ms * 1000).toFixed(0).padStart(8)} /s`)
  return count / ms * 1000
}

const passwords = await passwordManager()
const password = 'correct horse battery staple'
const stored = await passwords.hash(password)
const secret = randomBytes(32)
const token = createSigner({ key: secret, algorithm: 'HS256', expiresIn: 900_000 })({ sub: '6b0257a1eb866bb1e55122b0', session_version: 0 })
const verifyToken = createVerifier({ key: secret, algorithms: ['HS256'] })

console.log(`argon2id m=${ARGON2ID.memoryCost} KiB t=${ARGON2ID.timeCost} p=${ARGON2ID.parallelism}; ${availableParallelism()} cores, ${THREADS} libuv threads; ${ROUNDS} rounds\n`)
console.log('Baselines')
await perSecond('SHA-256 of the password', ROUNDS * 1000, () => createHash('sha256').update(password).digest())
const jwtRate = await perSecond('HS256 access token verification (every bearer request)', ROUNDS * 1000, () => verifyToken(token))
console.log('\nargon2id')
await perSecond('hash (sign-up), one at a time', ROUNDS, () => passwords.hash(password))
const verifyRate = await perSecond('verify (sign-in), one at a time', ROUNDS, () => passwords.verify(stored, password))
const parallelRate = await perSecond(`verify (sign-in), ${THREADS} in flight`, ROUNDS, () => passwords.verify(stored, password), THREADS)
await perSecond('verify of an unknown user (dummy hash), one at a time', ROUNDS, () => passwords.verifyUnknown(password))
console.log(`\nOne sign-in costs as much CPU as ${(jwtRate / verifyRate).toFixed(0)} access token verifications; this process signs in at most ${parallelRate.toFixed(0)} users/s with ${THREADS} threads.`)
