import { FastifyOtelInstrumentation } from '@fastify/otel'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis'
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb'
import { NodeSDK } from '@opentelemetry/sdk-node'

export const DEFAULT_SERVICE_NAME = 'songs-api'

/**
 * A MongoDB command as `db.query.text`: its top-level fields with every value replaced by `?`, so a span shows the
 * command's shape (a filter, a sort, a hint) and never a document, a filter value or a username.
 */
export function commandShape (command: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(command).map(key => [key, '?'])))
}

/**
 * The OpenTelemetry Node SDK, configured from the standard environment variables: the OTLP exporter
 * (`OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`, `OTEL_EXPORTER_OTLP_PROTOCOL`, http/protobuf by default), the sampler
 * (`OTEL_TRACES_SAMPLER`/`_ARG`, parent-based always-on by default) and `OTEL_SERVICE_NAME` (songs-api by default).
 * Traces only: no metrics (Prometheus has those) and no log export (the logs go to stdout, carrying trace ids).
 *
 * - the HTTP server span (node:http): it continues an incoming W3C `traceparent`, carries the HTTP semantic
 *   conventions' attributes and no headers, and is named `METHOD /route/:template` from the route @fastify/otel
 *   reports; @fastify/otel adds one `request` span under it (its per-hook and handler spans are off: noise);
 * - one span per MongoDB command: database, collection, operation and the command's shape (`commandShape`);
 * - one span per Redis command, named by the command alone: the keys hold client addresses and usernames.
 */
export function tracingSdk (env: NodeJS.ProcessEnv = process.env): NodeSDK {
  return new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || DEFAULT_SERVICE_NAME,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true, instrumentHooks: false, instrumentHandler: false }),
      new MongoDBInstrumentation({ dbStatementSerializer: commandShape }),
      new IORedisInstrumentation({ dbStatementSerializer: commandName => commandName })
    ]
  })
}
