// npm test: provides one MongoDB for the whole run (test/test-mongodb.ts), then runs tap with MONGODB_URL set.
// tap's output and exit code pass through unchanged (CI reads its closing `# { total: … }` line).
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { constants } from 'node:os'
import { startTestMongoDB } from './test-mongodb.ts'
import { spawnTied } from './tied-process.ts'

let mongodb
try {
  mongodb = await startTestMongoDB()
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`)
  process.exit(1)
}
if (mongodb.source !== 'configured') process.stderr.write(`# MongoDB for this run: ${mongodb.source} at ${mongodb.url}\n`)

const tap = createRequire(import.meta.url).resolve('tap/package.json').replace(/package\.json$/, 'dist/esm/run.mjs')
// Tied to this process: killed, even with SIGKILL, it leaves no tap and no test file behind (test/tied-process.ts).
const child = spawnTied(process.execPath, [tap, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, MONGODB_URL: mongodb.url } })
// Ctrl-C or a CI stop reaches tap too; the database is stopped once tap has exited.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
const [code, signal] = await once(child, 'exit') as [number | null, NodeJS.Signals | null]
await mongodb.stop()
process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0))
