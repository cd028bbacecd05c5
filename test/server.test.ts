import t from 'tap'
import { freePort, startServer } from './run-script.ts'
import { testDatabase, testDatabaseBehindProxy } from './helper.ts'

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
  const server = await startServer({ MONGODB_URL: `mongodb://songs:hunter2-secret@127.0.0.1:${await freePort()}/songs`, PORT: String(port), MONGODB_TIMEOUT_MS: '2000' })
  t.equal(await server.exited, 1)
  t.match(server.output(), /Cannot reach MongoDB/)
  t.match(server.output(), /mongodb:\/\/\*\*\*@127\.0\.0\.1/, 'names the server it tried')
  t.notMatch(server.output(), /hunter2/, 'never the password in the URL')
  t.match(server.output(), /docker compose up/)
  t.match(server.output(), /MONGODB_URL/)
  t.notMatch(server.output(), /\n\s+at /, 'no stack trace')
})

t.test('a bad setting stops the start with a message naming it', async t => {
  const server = await startServer({ PORT: 'abc' })
  t.equal(await server.exited, 1)
  t.match(server.output(), /Invalid configuration: .*PORT must be integer/)
})

t.test('SIGTERM during a slow request: the listener closes, the request completes, then the process exits 0', async t => {
  const { url, proxy } = await testDatabaseBehindProxy(t)
  const port = await freePort()
  const server = await startServer({
    MONGODB_URL: url,
    MONGODB_TIMEOUT_MS: '5000',
    PORT: String(port),
    LOG_LEVEL: 'info'
  })
  t.teardown(() => server.child.kill('SIGKILL'))

  proxy.setLatency(1000) // every MongoDB round trip now takes a second
  const started = Date.now()
  const slow = fetch(`http://127.0.0.1:${port}/songs/avg/difficulty`)
  await until(() => server.output().includes('"url":"/songs/avg/difficulty"'))
  server.child.kill('SIGTERM')
  await until(() => server.output().includes('"msg":"closing"'))

  await t.rejects(fetch(`http://127.0.0.1:${port}/health`), 'no new connections once closing')
  const response = await slow
  t.equal(response.status, 200, 'the in-flight request is answered')
  t.match(await response.json(), { songs: 11 })
  t.ok(Date.now() - started >= 1000, `it really waited on the database (${Date.now() - started} ms)`)
  t.equal(response.headers.get('connection'), 'close', 'the keep-alive connection is closed with it')
  const answered = Date.now()
  t.equal(await server.exited, 0)
  // Well inside close-with-grace's 10 s: the idle keep-alive connection did not hold the close up.
  t.ok(Date.now() - answered < 5000, `exited ${Date.now() - answered} ms after the last answer`)
})

async function until (condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
