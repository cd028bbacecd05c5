import t from 'tap'
import { buildAppBehindProxy, json } from '../../helper.ts'

t.test('with the database cut away, routes answer 503 problems, then recover without a restart', async t => {
  const { app, proxy } = await buildAppBehindProxy(t)
  t.equal((await app.inject('/songs/avg/difficulty')).statusCode, 200)

  proxy.cut()
  const started = Date.now()
  const down = await app.inject('/songs/avg/difficulty')
  t.equal(down.statusCode, 503)
  t.equal(down.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(json(down), { status: 503, code: 'DATABASE_UNAVAILABLE', detail: 'The database is not answering; try again shortly.' })
  t.ok(Date.now() - started < 15_000, `answered in ${Date.now() - started} ms, not a hang`)

  proxy.restore()
  let status = 0
  for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
    status = (await app.inject('/songs/avg/difficulty')).statusCode
    if (status !== 200) await new Promise(resolve => setTimeout(resolve, 250))
  }
  t.equal(status, 200, 'back to 200 once the database is reachable')
})
