import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { signIn, signUp } from '../../accounts.ts'
import { buildAppBehindProxy, buildTestApp, json } from '../../helper.ts'
import { redisProgram, redisServer } from '../../redis-server.ts'

const LIMIT = { SIGN_IN_MAX_FAILURES: '3', SIGN_IN_WINDOW_SECONDS: '600' }

/** Makes the attempts one after another. */
async function statuses (attempts: (() => Promise<{ statusCode: number }>)[]): Promise<number[]> {
  const answers = []
  for (const attempt of attempts) answers.push((await attempt()).statusCode)
  return answers
}

t.test('per username: failures from many addresses lock that account\'s sign-in, with a 429 and Retry-After', async t => {
  const app = await buildTestApp(t, LIMIT)
  const user = await signUp(app)
  t.same(await statuses([1, 2, 3].map(i => () => signIn(app, user.username, 'wrong password!', `10.0.0.${i}`))), [401, 401, 401])
  const limited = await signIn(app, user.username.toUpperCase(), user.password, '10.0.0.9')
  t.equal(limited.statusCode, 429, 'even the right password, from a new address, in another case')
  t.match(json(limited), { status: 429, code: 'RATE_LIMITED' })
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8')
  const retryAfter = Number(limited.headers['retry-after'])
  t.ok(retryAfter > 590 && retryAfter <= 600, `Retry-After ${retryAfter} is the rest of the window`)
  const other = await signUp(app)
  t.equal((await signIn(app, other.username, other.password, '10.0.0.9')).statusCode, 200, 'other accounts sign in')
})

t.test('per client IP: failures against many accounts from one address stop that address', async t => {
  const app = await buildTestApp(t, LIMIT)
  const user = await signUp(app)
  t.same(await statuses(['a', 'b', 'c'].map(name => () => signIn(app, `nobody-${name}`, 'wrong password!', '10.0.1.1'))), [401, 401, 401])
  t.equal((await signIn(app, user.username, user.password, '10.0.1.1')).statusCode, 429, 'that address is stopped')
  t.equal((await signIn(app, user.username, user.password, '10.0.1.2')).statusCode, 200, 'another address is not')
})

t.test('successful sign-ins do not count; failures between them do', async t => {
  const app = await buildTestApp(t, LIMIT)
  const user = await signUp(app)
  t.same(await statuses(Array.from({ length: 6 }, () => () => signIn(app, user.username, user.password))), [200, 200, 200, 200, 200, 200])
  const passwords = ['wrong password!', user.password, 'wrong password!', user.password, 'wrong password!', user.password]
  t.same(await statuses(passwords.map(password => () => signIn(app, user.username, password))), [401, 200, 401, 200, 401, 429], 'the fourth attempt after three failures is refused')
})

t.test('parallel guesses cannot slip past the limit while their hashes are checked', async t => {
  const app = await buildTestApp(t, LIMIT)
  const user = await signUp(app)
  const answers = await Promise.all(Array.from({ length: 8 }, () => signIn(app, user.username, 'wrong password!')))
  t.same(answers.map(a => a.statusCode).sort(), [401, 401, 401, 429, 429, 429, 429, 429])
})

t.test('a sign-in the database fails counts for nothing: retrying through an outage does not lock the account', async t => {
  const { app, proxy } = await buildAppBehindProxy(t, { ...LIMIT, MONGODB_TIMEOUT_MS: '2000' })
  const user = await signUp(app)
  proxy.cut()
  t.same(await statuses(Array.from({ length: 5 }, () => () => signIn(app, user.username, user.password))), [503, 503, 503, 503, 503], 'five 503s while the database is away')
  proxy.restore()
  // Until the driver has reconnected a sign-in may still be a 503, which counts for nothing either.
  let after = 503
  for (const deadline = Date.now() + 30_000; after === 503 && Date.now() < deadline;) {
    after = (await signIn(app, user.username, user.password)).statusCode
    if (after === 503) await sleep(200)
  }
  t.equal(after, 200, 'the right password signs in once the database is back')
  t.same(await statuses(Array.from({ length: 4 }, () => () => signIn(app, user.username, 'wrong password!'))), [401, 401, 401, 429], 'wrong passwords still count')
})

t.test('with REDIS_URL, two instances share the counts', { skip: redisProgram.skip }, async t => {
  const redis = await redisServer(t)
  const env = { ...LIMIT, REDIS_URL: redis.url }
  const [one, two] = await Promise.all([buildTestApp(t, env), buildTestApp(t, env)])
  const user = await signUp(one!)
  t.same(await statuses([() => signIn(one!, user.username, 'wrong password!', '10.0.2.1'), () => signIn(two!, user.username, 'wrong password!', '10.0.2.2'), () => signIn(one!, user.username, 'wrong password!', '10.0.2.3')]), [401, 401, 401])
  t.equal((await signIn(two!, user.username, user.password, '10.0.2.4')).statusCode, 429, 'the other instance sees the three failures')
  t.ok(Number((await signIn(one!, user.username, user.password, '10.0.2.5')).headers['retry-after']) > 0)
})

t.test('with Redis down, sign-in still works and is limited per instance (in memory)', { skip: redisProgram.skip }, async t => {
  const redis = await redisServer(t)
  const app = await buildTestApp(t, { ...LIMIT, REDIS_URL: redis.url })
  const user = await signUp(app)
  await redis.stop()
  t.equal((await signIn(app, user.username, user.password)).statusCode, 200, 'no 5xx while Redis is away')
  t.same(await statuses(Array.from({ length: 4 }, () => () => signIn(app, user.username, 'wrong password!'))), [401, 401, 401, 429], 'the in-memory fallback limits')
})
