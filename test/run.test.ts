import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { mongoServerUrl } from './helper.ts'
import { npmTestOn, runScript } from './run-script.ts'
import { spawnTied, stillRunning } from './tied-process.ts'
import { failingDownload } from './system-mongod.ts'
import { dockerAvailable, noTestDatabase } from './test-mongodb.ts'

t.test('npm test hands its arguments to tap and exits with tap\'s code', async t => {
  const url = await mongoServerUrl()
  const version = await runScript('test/run.ts', ['--version'], { MONGODB_URL: url })
  t.equal(version.code, 0)
  t.match(version.stdout, /^\d+\.\d+\.\d+\n$/, 'tap\'s own answer, unchanged')
  const refused = await runScript('test/run.ts', ['--no-such-option'], { MONGODB_URL: url })
  t.equal(refused.code, 1, 'tap refuses an unknown option, and so does npm test')
  t.match(refused.stderr, /no-such-option/)
})

t.test('npm test killed, even with SIGKILL, leaves neither tap nor a test file running', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'songs-api-run-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  // A test file that says who it and its tap are, then never ends.
  const pidsFile = join(dir, 'pids')
  await writeFile(join(dir, 'hangs.test.mjs'), `import { writeFileSync } from 'node:fs'
writeFileSync(${JSON.stringify(pidsFile)}, process.ppid + ' ' + process.pid)
setInterval(() => {}, 1000)
`)
  const npmTest = await npmTestOn(dir, join(dir, 'hangs.test.mjs'))
  const run = spawnTied(process.execPath, npmTest.args, { cwd: npmTest.cwd, env: { ...process.env, ...npmTest.env, MONGODB_URL: await mongoServerUrl() }, stdio: 'ignore' })
  let pids: number[] = []
  while (pids.length === 0 && run.exitCode === null) {
    await sleep(100)
    pids = (await readFile(pidsFile, 'utf8').catch(() => '')).split(' ').filter(Boolean).map(Number)
  }
  t.equal(pids.length, 2, 'tap ran the test file')
  run.kill('SIGKILL')
  await once(run, 'exit')
  t.same(await stillRunning(pids), [], 'tap and the test file are gone')
})

t.test('the message when no MongoDB can be had names all three ways and the reason', async t => {
  const message = noTestDatabase('embedded MongoDB: no network')
  t.match(message, /set MONGODB_URL/)
  t.match(message, /Docker.*mongo:7/)
  t.match(message, /embedded MongoDB.*downloaded once/)
  t.match(message, /MONGOMS_SYSTEM_BINARY/)
  t.match(message, /\(embedded MongoDB: no network\)$/)
})

const dockerHere = await dockerAvailable() && 'Docker is available here, so npm test would start a mongo:7 container'

t.test('with no MONGODB_URL, no Docker and no way to get MongoDB, npm test stops before tap with that message', { skip: dockerHere }, async t => {
  const { env } = await failingDownload(t)
  const run = await runScript('test/run.ts', [], { MONGODB_URL: undefined, ...env })
  t.equal(run.code, 1)
  t.match(run.stderr, /Downloading MongoDB .*about 70 MB/, 'it tried the embedded MongoDB')
  t.match(run.stderr, /The tests need a MongoDB\. Get one of these:[\s\S]*MONGODB_URL[\s\S]*Docker[\s\S]*embedded MongoDB/)
  t.match(run.stderr, /\(embedded MongoDB: Download failed .*127\.0\.0\.1[\s\S]*ECONNREFUSED[\s\S]*\)\n$/, 'with the reason the embedded one failed')
  t.notMatch(run.stdout, /TAP version/, 'tap never ran')
})
