import { MongoServerSelectionError } from 'mongodb'
import t from 'tap'
import { buildApp } from '../../../src/app.ts'
import { json, testConfig, testDatabaseBehindProxy } from '../../helper.ts'
import { freePort } from '../../run-script.ts'

t.test('with nothing listening at MONGODB_URL, the start fails within MONGODB_TIMEOUT_MS', async t => {
  const config = testConfig({ MONGODB_URL: `mongodb://127.0.0.1:${await freePort()}/songs`, MONGODB_TIMEOUT_MS: '300' })
  const started = Date.now()
  await t.rejects(buildApp(config), MongoServerSelectionError)
  const took = Date.now() - started
  t.ok(took >= 300 && took < 5000, `gave up after ${took} ms, not the driver's default 30 s`)
})

t.test('a database slower than MONGODB_TIMEOUT_MS gives a fast 503 problem, never a hanging request', async t => {
  const { url, proxy } = await testDatabaseBehindProxy(t)
  const app = await buildApp(testConfig({ MONGODB_URL: url, MONGODB_TIMEOUT_MS: '500' }))
  t.teardown(() => app.close())
  t.equal((await app.inject('/songs/avg/difficulty')).statusCode, 200)

  proxy.setLatency(3000)
  for (const url of ['/songs/avg/difficulty', '/songs?limit=5', '/ready']) {
    const started = Date.now()
    const response = await app.inject(url)
    const took = Date.now() - started
    t.equal(response.statusCode, 503, url)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.equal(json(response).code, 'DATABASE_UNAVAILABLE', url)
    t.ok(took < 2500, `${url} answered in ${took} ms, not after the database's 3 s`)
  }
  const metrics = (await app.inject('/metrics')).body
  t.match(metrics, /^mongodb_command_failures_total\{command="find"\} [1-9]/m, 'the timed-out commands are counted')

  proxy.setLatency(0)
  let status = 0
  for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
    status = (await app.inject('/songs/avg/difficulty')).statusCode
    if (status !== 200) await new Promise(resolve => setTimeout(resolve, 250))
  }
  t.equal(status, 200, 'back to 200 once the database is fast again')
})
