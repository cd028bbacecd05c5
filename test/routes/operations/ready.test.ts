import t from 'tap'
import { buildTestApp, json } from '../../helper.ts'

t.test('GET /ready answers 200 once MongoDB answers a ping, with how long it took', async t => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '1' })
  for (let probe = 0; probe < 3; probe++) {
    const response = await app.inject('/ready')
    t.equal(response.statusCode, 200, `probe ${probe} is not rate limited`)
    const body = json(response)
    t.equal(body.status, 'ready')
    t.ok(body.database_ms >= 0 && body.database_ms < 2000, `database_ms ${body.database_ms}`)
  }
})
