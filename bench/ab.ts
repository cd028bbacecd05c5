// npm run bench:ab -- --against DIR [--database bench_2000_10000_1] [--rounds 8] [--seconds 4] [--connections 10]
//   [--route PATH ...] [--signed-in]
// This checkout's API beside another checkout's (DIR, e.g. the main branch's, with its own node_modules), both
// bench servers (one process each) up at once on one database. Short autocannon rounds alternate between them, so
// that a shared machine's load drift hits both sides alike: a change that should cost nothing is measured as a
// per-round ratio, not as two runs minutes apart. Load a catalog first with `npm run bench`. `--route` (repeatable)
// replaces the default routes; `--signed-in` sends every request with the bearer token of a user signed up for the
// run (both servers share a signing key).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { loadConfig } from '../src/config.ts'
import { BASELINE_PATH } from './baseline.ts'
import { signedInListener } from './signed-in-listener.ts'

const { values } = parseArgs({
  options: {
    against: { type: 'string' },
    database: { type: 'string', default: 'bench_2000_10000_1' },
    rounds: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '10' },
    route: { type: 'string', multiple: true },
    'signed-in': { type: 'boolean', default: false }
  }
})
if (!values.against) throw new Error('give --against DIR, the checkout to compare with')
const rounds = Number(values.rounds)
const seconds = Number(values.seconds)
const connections = Number(values.connections)
const databaseUrl = loadConfig().mongodbUrl.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${values.database}`)
const ROUTES = values.route ?? [BASELINE_PATH, '/songs/avg/difficulty']
const JWT_SECRET = randomBytes(48).toString('base64')

/** A bench server of the checkout in `dir`, started as its `npm start` would be (with its tracing preload, if it has one). */
function benchServer (dir: string, port: number): Promise<ChildProcess> {
  const preload = existsSync(resolve(dir, 'src/tracing.ts')) ? ['--import', './src/tracing.ts'] : []
  const child = spawn(process.execPath, [...preload, 'bench/server.ts'], {
    cwd: dir,
    env: { ...process.env, MONGODB_URL: databaseUrl, PORT: String(port), BENCH_WORKERS: '1', LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '1000000000', JWT_SECRET, MAX_EVENT_LOOP_DELAY_MS: '60000', MONGODB_TIMEOUT_MS: '60000' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('bench server listening')) resolve(child) })
    child.on('exit', code => reject(new Error(`the bench server of ${dir} exited (${code})`)))
  })
}

const sides = [
  { name: 'this checkout', port: 3971, dir: resolve('.') },
  { name: `--against ${values.against}`, port: 3972, dir: resolve(values.against) }
]
const servers = [await benchServer(sides[0]!.dir, sides[0]!.port), await benchServer(sides[1]!.dir, sides[1]!.port)]
const results = new Map<string, Array<{ rps: number, p50: number, p99: number }>>()
try {
  const headers = values['signed-in'] ? await signedInListener(`http://127.0.0.1:${sides[0]!.port}`) : {}
  for (let round = 0; round < rounds; round++) {
    // Each round changes which side goes first.
    const order = round % 2 === 0 ? sides : [...sides].reverse()
    for (const route of ROUTES) {
      for (const side of order) {
        const result = await autocannon({ url: `http://127.0.0.1:${side.port}${route}`, connections, duration: seconds, headers })
        const key = `${route} ${side.name}`
        results.set(key, [...(results.get(key) ?? []), { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 }])
      }
    }
  }
} finally {
  for (const server of servers) server.kill('SIGTERM')
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
console.log(`${rounds} interleaved rounds of ${seconds} s per route and side, ${connections} connections, one API process each, database ${values.database}${values['signed-in'] ? ', signed in' : ''}\n`)
console.log('| route | side | req/s (median) | req/s per round | p50 ms (median) | p99 ms (median) |')
console.log('| --- | --- | ---: | --- | ---: | ---: |')
for (const route of ROUTES) {
  const [ours, theirs] = sides.map(side => results.get(`${route} ${side.name}`)!) as [Array<{ rps: number, p50: number, p99: number }>, Array<{ rps: number, p50: number, p99: number }>]
  for (const [side, runs] of [[sides[0]!, ours], [sides[1]!, theirs]] as const) {
    console.log(`| ${route} | ${side.name} | ${median(runs.map(r => r.rps)).toFixed(0)} | ${runs.map(r => r.rps.toFixed(0)).join(' ')} | ${median(runs.map(r => r.p50))} | ${median(runs.map(r => r.p99))} |`)
  }
  const ratios = ours.map((run, i) => run.rps / theirs[i]!.rps)
  console.log(`| ${route} | ratio, this / against | ${median(ratios).toFixed(3)} | ${ratios.map(r => r.toFixed(2)).join(' ')} | | |`)
}
