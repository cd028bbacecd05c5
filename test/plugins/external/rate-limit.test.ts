import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildTestApp, json, type TestApp } from '../../helper.ts'
import { redisProgram, redisServer } from '../../redis-server.ts'

async function statuses (app: TestApp, count: number): Promise<number[]> {
  const answers = []
  for (let i = 0; i < count; i++) answers.push((await app.inject('/songs/avg/difficulty')).statusCode)
  return answers
}

t.test('with REDIS_URL, two instances share one limit per client', { skip: redisProgram.skip }, async t => {
  const redis = await redisServer(t)
  const env = { REDIS_URL: redis.url, RATE_LIMIT_MAX: '10', RATE_LIMIT_WINDOW_MS: '60000' }
  const [one, two] = await Promise.all([buildTestApp(t, env), buildTestApp(t, env)])
  const answers = [...await statuses(one!, 6), ...await statuses(two!, 6)]
  t.same(answers, [...Array(10).fill(200), 429, 429], '10 allowed across both instances, then 429')
  const limited = await two!.inject('/songs/avg/difficulty')
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.ok(Number(limited.headers['retry-after']) > 0, `Retry-After: ${limited.headers['retry-after']}`)
  t.match(json(limited), { status: 429, code: 'RATE_LIMITED' })
})

t.test('without REDIS_URL each instance counts in memory', async t => {
  const env = { RATE_LIMIT_MAX: '10' }
  const [one, two] = await Promise.all([buildTestApp(t, env), buildTestApp(t, env)])
  t.same([...await statuses(one!, 6), ...await statuses(two!, 6)], Array(12).fill(200))
  t.same(await statuses(one!, 5), [200, 200, 200, 200, 429])
})

t.test('with Redis down, requests are served unlimited (skipOnError), and limited again once it is back', { skip: redisProgram.skip }, async t => {
  const redis = await redisServer(t)
  const app = await buildTestApp(t, { REDIS_URL: redis.url, RATE_LIMIT_MAX: '3' })
  t.same(await statuses(app, 4), [200, 200, 200, 429])
  await redis.stop()
  const started = Date.now()
  t.same(await statuses(app, 10), Array(10).fill(200), 'no 5xx and no 429 while the limiter store is away')
  t.ok(Date.now() - started < 5000, `answered without waiting for Redis (${Date.now() - started} ms for 10)`)

  await redis.start()
  let limited = false
  for (let attempt = 0; attempt < 50 && !limited; attempt++) {
    limited = (await statuses(app, 4)).includes(429)
    if (!limited) await sleep(200)
  }
  t.ok(limited, 'limits again after Redis returns, without a restart')
})
