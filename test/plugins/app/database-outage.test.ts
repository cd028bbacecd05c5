import t from 'tap'
import { buildAppBehindProxy, json } from '../../helper.ts'

t.test('with the database cut away, routes and /ready answer 503 problems while /health stays 200, then all recover without a restart', async t => {
  const { app, proxy } = await buildAppBehindProxy(t, { MONGODB_TIMEOUT_MS: '1000' })
  t.equal((await app.inject('/songs/avg/difficulty')).statusCode, 200)

  proxy.cut()
  const started = Date.now()
  const down = await app.inject('/songs/avg/difficulty')
  t.equal(down.statusCode, 503)
  t.equal(down.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(json(down), { status: 503, code: 'DATABASE_UNAVAILABLE', detail: 'The database is not answering; try again shortly.' })
  t.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms, not a hang`)

  const notReady = await app.inject('/ready')
  t.equal(notReady.statusCode, 503, 'the balancer stops sending traffic here')
  t.match(json(notReady), { status: 503, code: 'DATABASE_UNAVAILABLE' })
  t.same(json(await app.inject('/health')), { status: 'ok' }, 'but the process is alive: no restart')

  proxy.restore()
  let status = 0
  for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
    status = (await app.inject('/songs/avg/difficulty')).statusCode
    if (status !== 200) await new Promise(resolve => setTimeout(resolve, 250))
  }
  t.equal(status, 200, 'back to 200 once the database is reachable')
  t.equal((await app.inject('/ready')).statusCode, 200, 'and ready again')
})
