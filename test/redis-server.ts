import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import { externalProgram } from './external-program.ts'
import { freePort } from './run-script.ts'
import { spawnTied } from './tied-process.ts'

/** Debian's redis-server: a test that needs it passes `{ skip: redisProgram.skip }`. */
export const redisProgram = externalProgram('redis-server', 'apt-get install redis-server')

/**
 * A real `redis-server` (Debian's redis-server package) on a free loopback port, without persistence, stopped
 * when the test ends, and with the test process however that ends (test/tied-process.ts). `stop()` and `start()`
 * let a test take it away and bring it back on the same port.
 */
export async function redisServer (t: Test) {
  const port = await freePort()
  let server: ChildProcess | undefined
  const start = async () => {
    server = spawnTied(redisProgram.path!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    server.on('error', error => { throw new Error(`redis-server could not start: ${error.message}`) })
    for (let attempt = 0; attempt < 100; attempt++) {
      const up = await new Promise<boolean>(resolve => {
        const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true) }).on('error', () => resolve(false))
      })
      if (up) return
      await sleep(50)
    }
    throw new Error(`redis-server did not listen on ${port}`)
  }
  const stop = async () => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return
    const exited = once(server, 'exit')
    server.kill('SIGKILL')
    await exited
  }
  await start()
  t.teardown(stop)
  return { url: `redis://127.0.0.1:${port}`, start, stop }
}
