// The API as the benchmark runs it: one process per core (node:cluster, sharing one port), each built by
// buildApp exactly as src/server.ts builds it, plus GET /bench/baseline, a constant answer through the same
// plugins and hooks (the ceiling of this stack on this machine), and GET /bench/plain-page, the first page of songs
// without their ratings (what ratings on a page cost). These routes exist only here.
import cluster from 'node:cluster'
import { availableParallelism } from 'node:os'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { loggerOptions } from '../src/logger.ts'
import { addBaselineRoutes } from './baseline.ts'

if (cluster.isPrimary) {
  const workers = Number(process.env.BENCH_WORKERS ?? availableParallelism())
  let listening = 0
  let stopping = false
  cluster.on('listening', () => {
    if (++listening === workers) console.log(`bench server listening: ${workers} workers on port ${process.env.PORT}`)
  })
  cluster.on('exit', (_worker, code) => {
    if (!stopping) {
      console.error(`a worker exited (${code}); stopping`)
      process.exit(1)
    }
  })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill()
      process.exit(0)
    })
  }
  for (let i = 0; i < workers; i++) cluster.fork()
} else {
  const config = loadConfig()
  // No plugin timeout: on a large catalog in FerretDB, the start-up's document count alone scans the collection.
  const app = await buildApp(config, { logger: loggerOptions(config.logLevel), pluginTimeout: 0 })
  addBaselineRoutes(app)
  process.on('disconnect', () => {
    app.close().then(() => process.exit(0), () => process.exit(1))
  })
  await app.listen({ port: config.port, host: config.host })
}
