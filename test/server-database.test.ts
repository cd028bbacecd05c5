import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { EMBEDDED_MONGODB_VERSION } from '../src/db/embedded-mongodb.ts'
import { mongodbAnswers } from '../src/db/mongodb-source.ts'
import { freePort, startServer } from './run-script.ts'
import { failingDownload, systemMongodSkip } from './system-mongod.ts'

/** `npm start` without MONGODB_URL, its local MongoDB port free and its embedded data in a fresh directory. */
async function withoutMongodbUrl (t: Test, env: Record<string, string | undefined> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'songs-api-data-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const localPort = await freePort()
  return {
    dataDir,
    localPort,
    env: { MONGODB_URL: undefined, PORT: String(await freePort()), LOG_LEVEL: 'info', LOCAL_MONGODB_PORT: String(localPort), EMBEDDED_MONGODB_DIR: dataDir, ...env }
  }
}

t.test('NODE_ENV=production without MONGODB_URL never starts an embedded MongoDB: it fails on the local port', async t => {
  const { env } = await withoutMongodbUrl(t, { NODE_ENV: 'production', JWT_SECRET: 'a production secret of 32 bytes or more', MONGODB_TIMEOUT_MS: '1000' })
  const server = await startServer(env)
  t.equal(await server.exited, 1)
  t.match(server.output(), /Cannot reach MongoDB/)
  t.match(server.output(), /docker compose up/)
  t.notMatch(server.output(), /Downloading MongoDB|embedded development database/, 'no embedded database, no download')
})

t.test('without MONGODB_URL and no MongoDB on the local port, npm start says it downloads MongoDB first, and a failed download names the other ways', async t => {
  const download = await failingDownload(t)
  const { env } = await withoutMongodbUrl(t, download.env)
  const server = await startServer(env)
  t.equal(await server.exited, 1)
  const output = server.output()
  t.match(output, new RegExp(`^Downloading MongoDB ${EMBEDDED_MONGODB_VERSION.replaceAll('.', '\\.')} \\(about 70 MB, once: it is cached in ${download.downloadDir}\\)`),
    'the first line says what is downloaded, how big, and where it is kept')
  t.match(output, /Cannot start an embedded MongoDB: Download failed .*127\.0\.0\.1[\s\S]*ECONNREFUSED/)
  t.match(output, /docker compose up/)
  t.match(output, /set MONGODB_URL/)
})

t.test('without MONGODB_URL and something that is not MongoDB on the local port, npm start says so and starts nothing', async t => {
  const { env, localPort } = await withoutMongodbUrl(t)
  const squatter = createServer(socket => socket.destroy())
  await new Promise<void>(resolve => squatter.listen(localPort, '127.0.0.1', resolve))
  t.teardown(() => squatter.close())
  const server = await startServer(env)
  t.equal(await server.exited, 1)
  t.match(server.output(), `Cannot start an embedded MongoDB: port ${localPort} is taken by something that is not MongoDB: free it or set LOCAL_MONGODB_PORT`)
  t.notMatch(server.output(), /Downloading MongoDB/, 'nothing is downloaded for a start that cannot work')
})

t.test('npm start without MONGODB_URL runs on an embedded MongoDB whose ratings survive a restart, and stops it on SIGTERM', { skip: systemMongodSkip }, async t => {
  const { env, dataDir, localPort } = await withoutMongodbUrl(t)
  const start = async () => {
    const server = await startServer(env)
    t.teardown(() => server.child.kill('SIGKILL'))
    t.match(server.output(), /embedded development database/)
    t.match(server.output(), dataDir, 'the log says where the data lives')
    return server
  }
  const base = `http://127.0.0.1:${env.PORT}`

  const first = await start()
  const { items } = await (await fetch(`${base}/songs`)).json() as { items: { id: string }[] }
  t.equal(items.length, 11, 'the catalog is seeded')
  const rated = await fetch(`${base}/songs/rating`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ song_id: items[0]!.id, rating: 4 }) })
  t.equal(rated.status, 201)
  first.child.kill('SIGTERM')
  t.equal(await first.exited, 0)
  t.equal(await mongodbAnswers(`mongodb://127.0.0.1:${localPort}/songs`, 500), false, 'the embedded mongod is stopped with the server')

  const second = await start()
  t.match(await (await fetch(`${base}/songs/avg/rating/${items[0]!.id}`)).json(), { count: 1, average: 4 }, 'the rating is still there')
  second.child.kill('SIGTERM')
  t.equal(await second.exited, 0)
})
