import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { symlink, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { spawnTied } from './tied-process.ts'

const ROOT = new URL('..', import.meta.url).pathname

export interface Run { code: number, stdout: string, stderr: string }

export interface RunOptions {
  cwd?: string
  /** Added to this process's environment; a variable given as `undefined` is removed. */
  env?: Record<string, string | undefined>
  /** Written to its standard input, which is then closed: a program that reads it never waits for a terminal. */
  input?: string
  timeout?: number
  maxBuffer?: number
}

/**
 * Runs a program to its end, by default in the project's directory; its exit code (1 when it could not start, was
 * killed, timed out or wrote more than `maxBuffer` to one stream) and its output. The defaults leave room for
 * `cdk synth` and cfn-lint on a loaded machine. On a timeout the program and whatever it started are killed, and
 * none of them outlives this process (test/tied-process.ts).
 */
export function runProgram (file: string, args: string[], { cwd = ROOT, env = {}, input = '', timeout = 180_000, maxBuffer = 16 * 1024 * 1024 }: RunOptions = {}): Promise<Run> {
  return new Promise(resolve => {
    const child = spawnTied(file, args, { cwd, env: { ...process.env, ...env } })
    const output = { stdout: '', stderr: '' }
    let failed = false
    const kill = () => {
      failed = true
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL')
    }
    const timer = setTimeout(kill, timeout)
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
        output[stream] += chunk
        if (output[stream].length > maxBuffer) kill()
      })
    }
    child.on('error', error => {
      clearTimeout(timer)
      resolve({ code: 1, stdout: '', stderr: error.message })
    })
    child.on('close', code => {
      clearTimeout(timer)
      resolve({ code: failed ? 1 : code ?? 1, ...output })
    })
    // A program that exits without reading its input must not fail the test with EPIPE.
    child.stdin!.on('error', () => {}).end(input)
  })
}

/**
 * `npm test` on a test file a test wrote into `dir`: its arguments (coverage off) and the options to spawn it with.
 * It runs with `dir` as tap's project root (an empty package.json marks it, the project's node_modules are linked
 * in) and the project's .taprc: tap clears the coverage data under its project root as it starts, so a run from the
 * project's own root would erase what the running suite had collected so far.
 */
export async function npmTestOn (dir: string, file: string): Promise<{ args: string[], cwd: string, env: Record<string, string> }> {
  await writeFile(join(dir, 'package.json'), '{}\n')
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  return { args: [join(ROOT, 'test/run.ts'), '--disable-coverage', file], cwd: dir, env: { TAP_RCFILE: join(ROOT, '.taprc') } }
}

/** Runs one of the project's TypeScript entry points as a user would, with the given environment and standard input. */
export function runScript (script: string, args: string[], env: Record<string, string | undefined>, input = ''): Promise<Run> {
  return runProgram(process.execPath, [script, ...args], { env, input, timeout: 60_000 })
}

/** How `npm start` (and the image) runs the server: the tracing preload first (it does nothing unless configured). */
export const SERVER_ARGS = ['--import', './src/tracing.ts', 'src/server.ts']

/**
 * Starts `src/server.ts` as `npm start` does, never outliving this process (test/tied-process.ts); resolves once it
 * listens (or exits), with its output so far and `stop()`, for a teardown that runs before the database is
 * dropped. Load shedding and the database timeout are relaxed unless the test sets them: a busy test machine must
 * not turn into 503s in tests about something else. A variable given as `undefined` is removed from the server's
 * environment.
 */
export async function startServer (env: Record<string, string | undefined>): Promise<{ child: ChildProcess, output: () => string, exited: Promise<number | null>, stop: () => Promise<void> }> {
  const relaxed = { MAX_EVENT_LOOP_DELAY_MS: '0', MONGODB_TIMEOUT_MS: '10000' }
  const child = spawnTied(process.execPath, SERVER_ARGS, { cwd: ROOT, env: { ...process.env, ...relaxed, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  const listening = new Promise<void>(resolve => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Server listening')) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
  })
  await Promise.race([listening, exited])
  // A graceful stop: the server finishes its requests and closes its connections before the test drops the database.
  // A SIGKILL leaves commands it had sent still running in the database server, and FerretDB 1 has crashed (SIGBUS
  // in SQLite's WAL code) dropping a database that such a straggler was writing to. A server that has not exited
  // after 30 s is killed.
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    await exited
    clearTimeout(killer)
  }
  return { child, output: () => output, exited, stop }
}

export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}
