import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import t from 'tap'
import { testDatabase } from './helper.ts'
import { npmTestOn, runProgram } from './run-script.ts'
import { running, spawnTied, stillRunning } from './tied-process.ts'

const TIED_PROCESS = new URL('tied-process.ts', import.meta.url).href
const RUN_SCRIPT = new URL('run-script.ts', import.meta.url).href
const TAP = import.meta.resolve('tap')

/** The first `count` lines a stream prints. */
async function readLines (stream: Readable, count: number): Promise<string[]> {
  let text = ''
  for await (const chunk of stream.setEncoding('utf8')) {
    text += chunk
    const lines = text.split('\n')
    if (lines.length > count) return lines.slice(0, count)
  }
  throw new Error(`the stream ended after ${JSON.stringify(text)}`)
}

// A program that starts a child of its own (`sleep` in the background), prints both pids and runs until killed.
const PROGRAM = ['sh', ['-c', 'sleep 600 & echo "$$ $!"; wait']] as const

t.test('a tied program and what it started end with the test process, however tap or CI ends that', async t => {
  for (const signal of ['SIGALRM', 'SIGKILL', 'SIGTERM'] as const) {
    // Stands for a test file: it starts the program through spawnTied and keeps running. Tied to this file in turn,
    // which kills only its pid: the program, in a group of its own, can only be ended by the stand-in's watchdog.
    // It says "tied" once spawnTied has returned: the program prints its pids as soon as it runs, which can be
    // before the watchdog is started, and a program killed in that instant is not yet tied to anything.
    const testProcess = spawnTied(process.execPath, ['--input-type=module', '-e', `
      import { spawnTied } from '${TIED_PROCESS}'
      const child = spawnTied(${JSON.stringify(PROGRAM[0])}, ${JSON.stringify(PROGRAM[1])}, { stdio: ['ignore', 'inherit', 'inherit'] })
      process.stdout.write('tied\\n')
      setInterval(() => {}, 1000)`], { stdio: ['ignore', 'pipe', 'inherit'] })
    const lines = await readLines(testProcess.stdout!, 2)
    t.ok(lines.includes('tied'), 'the test process has tied the program')
    const pids = lines.find(line => line !== 'tied')!.split(' ').map(Number)
    t.same(await Promise.all(pids.map(running)), [true, true], 'the program and its child run')
    testProcess.kill(signal)
    await once(testProcess, 'exit')
    t.same(await stillRunning(pids), [], `after ${signal} to the test process, neither runs`)
  }
})

t.test('a tied program that ends takes what it left behind with it; its exit status is its own', async t => {
  const child = spawnTied('sh', ['-c', 'sleep 600 & echo $!; exit 3'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = await once(child.stdout!.setEncoding('utf8'), 'data') as [string]
  const [code] = await once(child, 'exit') as [number]
  t.equal(code, 3)
  t.same(await stillRunning([Number(line)]), [], 'the sleep it started in the background is gone')
})

// The reported orphan, end to end: `npm test` on a file that started src/server.ts and ran out of time.
t.test('a test file that tap times out leaves no src/server.ts it started behind', async t => {
  const { url } = await testDatabase(t)
  const dir = await mkdtemp(join(tmpdir(), 'songs-api-timeout-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  // Starts the server as the tests do, says its pid, then runs out of the second it gives itself.
  const pidFile = join(dir, 'server.pid')
  await writeFile(join(dir, 'times-out.test.mjs'), `import { writeFileSync } from 'node:fs'
import t from '${TAP}'
import { freePort, startServer } from '${RUN_SCRIPT}'
const server = await startServer({ MONGODB_URL: ${JSON.stringify(url)}, PORT: String(await freePort()) })
writeFileSync(${JSON.stringify(pidFile)}, String(server.child.pid))
t.setTimeout(1000)
setInterval(() => {}, 1000)
`)
  const npmTest = await npmTestOn(dir, join(dir, 'times-out.test.mjs'))
  const run = await runProgram(process.execPath, npmTest.args, { cwd: npmTest.cwd, env: { ...npmTest.env, MONGODB_URL: url } })
  t.match(run.stdout, /timeout!/, 'tap timed the file out')
  t.ok(existsSync(join(dir, '.tap')), 'that tap kept its records beside the file, away from the running suite\'s coverage')
  const pid = Number(await readFile(pidFile, 'utf8'))
  t.ok(pid > 0, 'the file had started the server')
  t.same(await stillRunning([pid]), [], 'the server is gone')
})
