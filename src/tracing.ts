// Preloaded before the server (`node --import ./src/tracing.ts src/server.ts`, as `npm start` and the image run
// it): OpenTelemetry's instrumentations hook node:http, fastify, mongodb and ioredis as they are loaded, so they
// must be in place before the app's imports. Unless tracing is configured (src/tracing/enabled.ts) this module
// loads nothing else and does nothing.
import { register } from 'node:module'
import { tracingEnabled } from './tracing/enabled.ts'

let stop: () => Promise<void> = async () => {}

if (tracingEnabled()) {
  // Lets the instrumentations see the ES module imports too, not only require().
  register('import-in-the-middle/hook.mjs', import.meta.url)
  const { tracingSdk } = await import('./tracing/sdk.ts')
  const sdk = tracingSdk()
  sdk.start()
  stop = () => sdk.shutdown()
}

/** Exports the spans still buffered and stops tracing: the last step of a graceful shutdown. */
export function stopTracing (): Promise<void> {
  return stop()
}
