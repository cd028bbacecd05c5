import t from 'tap'
import { accountJourney } from '../account-journey.ts'
import { testDatabase } from '../helper.ts'
import { freePort, startServer } from '../run-script.ts'

const JWT_SECRET = 'log-test-secret-that-is-long-enough-0123456789'

t.test('the server logs no password, hash, token or JWT_SECRET, even at trace level', async t => {
  const { url, collections } = await testDatabase(t)
  const port = await freePort()
  const server = await startServer({ MONGODB_URL: url, PORT: String(port), LOG_LEVEL: 'trace', JWT_SECRET })
  t.teardown(() => server.child.kill())
  const { secrets, requests } = await accountJourney(t, `http://127.0.0.1:${port}`, collections, JWT_SECRET)
  // Let the last lines reach the pipe.
  await new Promise(resolve => setTimeout(resolve, 200))
  const log = server.output()
  t.ok(log.split('\n').filter(line => line.includes('"reqId"')).length >= 2 * requests, 'the requests were logged')
  for (const [name, secret] of Object.entries(secrets)) t.notOk(log.includes(secret), `no ${name} in the log`)
})
