import type { Test } from 'tap'
import { testDatabase } from './helper.ts'
import { jaeger, jaegerProgram } from './jaeger.ts'
import { redisProgram, redisServer } from './redis-server.ts'
import { freePort, startServer } from './run-script.ts'

/** Why a test of a traced server cannot run here (no Jaeger or no redis-server), or false. */
export const tracedServerSkip = jaegerProgram.skip || redisProgram.skip

/**
 * A real Jaeger, a real redis-server and a fresh database, and the server started as `npm start` runs it, tracing
 * into that Jaeger. Spans leave every 100 ms rather than every 5 s: the tests read them back soon after each request.
 */
export async function tracedServer (t: Test, env: Record<string, string | undefined> = {}) {
  const receiver = await jaeger(t)
  const redis = await redisServer(t)
  const database = await testDatabase(t)
  const port = await freePort()
  const server = await startServer({
    MONGODB_URL: database.url,
    REDIS_URL: redis.url,
    PORT: String(port),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.otlpEndpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    ...env
  })
  t.teardown(server.stop)
  return { receiver, database, server, base: `http://127.0.0.1:${port}` }
}
