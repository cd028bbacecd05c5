import { spawn } from 'node:child_process'
import { once } from 'node:events'
import t from 'tap'
import { running, spawnTied, stillRunning } from './tied-process.ts'

const TIED_PROCESS = new URL('tied-process.ts', import.meta.url).href

// A program that starts a child of its own (`sleep` in the background), prints both pids and runs until killed.
const PROGRAM = ['sh', ['-c', 'sleep 600 & echo "$$ $!"; wait']] as const

t.test('a tied program and what it started end with the test process, however tap or CI ends that', async t => {
  for (const signal of ['SIGALRM', 'SIGKILL', 'SIGTERM'] as const) {
    // Stands for a test file: it starts the program through spawnTied and keeps running.
    const testProcess = spawn(process.execPath, ['--input-type=module', '-e', `
      import { spawnTied } from '${TIED_PROCESS}'
      const child = spawnTied(${JSON.stringify(PROGRAM[0])}, ${JSON.stringify(PROGRAM[1])}, { stdio: ['ignore', 'inherit', 'inherit'] })
      setInterval(() => {}, 1000)`], { stdio: ['ignore', 'pipe', 'inherit'] })
    const [line] = await once(testProcess.stdout.setEncoding('utf8'), 'data') as [string]
    const pids = line.trim().split(' ').map(Number)
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
