import t from 'tap'
import { accountJourney } from '../account-journey.ts'
import { testDatabase } from '../helper.ts'
import { freePort, startServer } from '../run-script.ts'

const JWT_SECRET = 'log-test-secret-that-is-long-enough-0123456789'
const JWT_PREVIOUS_SECRETS = 'a rotated-out secret which is long enough too'

t.test('the server logs no password, hash, token or JWT_SECRET, even at trace level', async t => {
  const { url, collections } = await testDatabase(t)
  const port = await freePort()
  const server = await startServer({ MONGODB_URL: url, PORT: String(port), LOG_LEVEL: 'trace', JWT_SECRET, JWT_PREVIOUS_SECRETS })
  t.teardown(() => server.child.kill())
  const { secrets, requests } = await accountJourney(t, `http://127.0.0.1:${port}`, collections, JWT_SECRET)
  // Let the last lines reach the pipe.
  await new Promise(resolve => setTimeout(resolve, 200))
  const log = server.output()
  const audited = log.split('\n').filter(line => line.includes('"audit"')).map(line => (JSON.parse(line) as { audit: { action: string } }).audit.action)
  t.same(audited, ['password_change', 'logout_all', 'sign_out'], 'the account actions were logged (the first sign-out\'s token was revoked already by the reuse)')
  t.ok(log.split('\n').filter(line => line.includes('"reqId"')).length >= 2 * requests, 'the requests were logged')
  for (const [name, secret] of Object.entries({ ...secrets, JWT_PREVIOUS_SECRETS })) t.notOk(log.includes(secret), `no ${name} in the log`)
})
