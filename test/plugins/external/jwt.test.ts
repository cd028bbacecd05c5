import t from 'tap'
import { freePort, startServer } from '../../run-script.ts'
import { testDatabase } from '../../helper.ts'

t.test('without JWT_SECRET the server starts with a warning that tokens die on restart', async t => {
  const { url } = await testDatabase(t)
  const server = await startServer({ MONGODB_URL: url, PORT: String(await freePort()) })
  t.teardown(() => server.child.kill())
  const warning = server.output().split('\n').find(line => line.includes('JWT_SECRET is not set'))
  t.match(JSON.parse(warning ?? '{}'), { level: 40, msg: /random secret and stop working when this process restarts/ })
})

t.test('with JWT_SECRET there is no such warning', async t => {
  const { url } = await testDatabase(t)
  const server = await startServer({ MONGODB_URL: url, PORT: String(await freePort()), JWT_SECRET: 's'.repeat(40) })
  t.teardown(() => server.child.kill())
  t.match(server.output(), /Server listening/)
  t.notMatch(server.output(), /JWT_SECRET/)
})
