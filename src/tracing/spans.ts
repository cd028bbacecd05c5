import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api'
import { tracingEnabled } from './enabled.ts'

const tracer = trace.getTracer('songs-api')

/**
 * `work` timed in a span of its own (a child of the active one, e.g. the request's) when tracing is on; `work`
 * itself otherwise, so that code on the request path does no tracing work at all. A failure is recorded on the
 * span as an error status with the exception's type and message.
 */
export function inSpan<A extends unknown[], R> (name: string, attributes: Attributes, work: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  if (!tracingEnabled()) return work
  return (...args) => tracer.startActiveSpan(name, { attributes }, async span => {
    try {
      return await work(...args)
    } catch (error) {
      span.recordException(error as Error)
      span.setStatus({ code: SpanStatusCode.ERROR })
      throw error
    } finally {
      span.end()
    }
  })
}
