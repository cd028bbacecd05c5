import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import type { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

// Waits for its standard input to close, then kills the process group it is given. Only this process holds the
// other end of that pipe, and the kernel closes it however this process ends: returning, crashing, killed.
const WATCHDOG = 'read _; kill -KILL -"$1" 2>/dev/null'

/**
 * `spawn` for a program that must not outlive this process (a server a test started, a tool it runs, tap under
 * `npm test`). The program leads a process group of its own, and a watchdog kills that whole group, what the
 * program started included, once this process ends, however it ends: tap ends a test file that runs out of time
 * with SIGALRM, then SIGKILL a second later, so no handler in the test process could be relied on. When the program
 * exits first, the watchdog ends what it left behind. The program's pid, signals and exit code are as with `spawn`.
 */
export function spawnTied (file: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(file, args, { ...options, detached: true })
  if (child.pid === undefined) return child // it could not start: its 'error' event says why
  // Detached too: a signal to this process's group (Ctrl-C) must not take the watchdog before it has done its work.
  const watchdog = spawn('sh', ['-c', WATCHDOG, 'watchdog', String(child.pid)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true })
  // Neither the watchdog nor its pipe keeps this process running.
  watchdog.unref()
  ;(watchdog.stdin as Socket).unref()
  child.once('exit', () => watchdog.stdin!.end())
  return child
}

/** Whether a process is still running; a zombie waiting for its parent to read its exit status has ended. */
export async function running (pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)
  return stat !== undefined && !/^\d+ \(.*\) Z /.test(stat)
}

/** Waits until none of `pids` runs any more, for as long as a loaded machine may take; the ones still running. */
export async function stillRunning (pids: number[], seconds = 30): Promise<number[]> {
  let left = pids
  for (let waited = 0; waited < seconds * 10 && left.length > 0; waited++) {
    await sleep(100)
    left = (await Promise.all(left.map(async pid => await running(pid) ? [pid] : []))).flat()
  }
  return left
}
