import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import { freePort } from './run-script.ts'

/**
 * A real `redis-server` (Debian's redis-server package) on a free loopback port, without persistence, stopped
 * when the test ends. `stop()` and `start()` let a test take it away and bring it back on the same port.
 */
export async function redisServer (t: Test) {
  const port = await freePort()
  let server: ReturnType<typeof spawn> | undefined
  const start = async () => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    server.on('error', error => { throw new Error(`redis-server could not start (apt-get install redis-server): ${error.message}`) })
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
