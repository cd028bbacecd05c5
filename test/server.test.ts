import t from 'tap'
import { freePort, startServer } from './run-script.ts'
import { testDatabase } from './helper.ts'

t.test('npm start on an empty database serves the 11 seeded songs and stops cleanly on SIGTERM', async t => {
  const { url } = await testDatabase(t)
  const port = await freePort()
  const server = await startServer({ MONGODB_URL: url, PORT: String(port), LOG_LEVEL: 'info' })
  t.teardown(() => server.child.kill('SIGKILL'))
  t.match(server.output(), /seeded an empty catalog/)
  const response = await fetch(`http://127.0.0.1:${port}/songs`)
  t.equal(response.status, 200)
  t.equal((await response.json() as { items: unknown[] }).items.length, 11)
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})

t.test('with no database reachable the server exits with a short message naming the ways to get one', async t => {
  const port = await freePort()
  const server = await startServer({ MONGODB_URL: `mongodb://127.0.0.1:${await freePort()}/songs`, PORT: String(port) })
  t.equal(await server.exited, 1)
  t.match(server.output(), /Cannot reach MongoDB/)
  t.match(server.output(), /docker compose up/)
  t.match(server.output(), /MONGODB_URL/)
  t.notMatch(server.output(), /\n\s+at /, 'no stack trace')
})

t.test('a bad setting stops the start with a message naming it', async t => {
  const server = await startServer({ PORT: 'abc' })
  t.equal(await server.exited, 1)
  t.match(server.output(), /Invalid configuration: .*PORT must be integer/)
})
