import type { FastifyInstance } from 'fastify'
import fastifyMetricsModule from 'fastify-metrics'
import fp from 'fastify-plugin'
import { Registry } from 'prom-client'

declare module 'fastify' {
  interface FastifyInstance {
    metricsRegistry: Registry
  }
}

// Seconds; fine below 100 ms, where the per-route p99 objectives sit.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/**
 * `GET /metrics` in the Prometheus text format: request count and duration by route and status, and the process
 * metrics of prom-client (event-loop lag, heap, GC, CPU). A registry per instance, so instances never share series.
 */
export default fp(async function metrics (fastify: FastifyInstance) {
  const register = new Registry()
  fastify.decorate('metricsRegistry', register)
  // A CommonJS module whose plugin is its `default` export.
  await fastify.register(fastifyMetricsModule.default, {
    endpoint: null,
    defaultMetrics: { enabled: true, register },
    routeMetrics: {
      enabled: { histogram: true, summary: false },
      routeBlacklist: ['/metrics'],
      // The summary is created even when disabled; it too must live in this instance's registry.
      overrides: { histogram: { buckets: DURATION_BUCKETS, registers: [register] }, summary: { registers: [register] } }
    }
  })

  // For the scraper next to the process, not for the public: hidden from the OpenAPI document, never rate limited,
  // and answered under pressure too, when the numbers matter most.
  fastify.get('/metrics', {
    schema: { hide: true },
    logLevel: 'warn',
    config: { rateLimit: false, pressureHandler: () => undefined }
  }, async (_request, reply) => reply.type(register.contentType).send(await register.metrics()))
}, { name: 'metrics' })
