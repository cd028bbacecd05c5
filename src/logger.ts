import { isSpanContextValid, trace } from '@opentelemetry/api'
import type { FastifyServerOptions } from 'fastify'
import { tracingEnabled } from './tracing/enabled.ts'

/**
 * The server's log settings. Fastify's request serializer logs no headers or bodies; the redaction is there so that
 * a serializer or log call added later cannot write credentials either. With tracing on, every line written while
 * a span is active (all of a request's) carries its `trace_id` and `span_id`, so a log line leads to its trace.
 */
export function loggerOptions (level: string, { tracing = tracingEnabled() } = {}): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.body.refresh_token', 'res.headers["set-cookie"]'],
      censor: '[redacted]'
    },
    ...(tracing && { mixin: traceIds })
  }
}

function traceIds (): { trace_id?: string, span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext()
  return spanContext && isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {}
}
