import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import { externalProgram } from './external-program.ts'
import { freePort } from './run-script.ts'

/** Jaeger v2, built from its Go module by `bash .ci/run` (its path in `SONGS_API_JAEGER`), else `jaeger` on PATH. */
export const jaegerProgram = externalProgram(process.env.SONGS_API_JAEGER ?? 'jaeger',
  'go build github.com/jaegertracing/jaeger/cmd/jaeger@v1.76.0 as .ci/run does, and set SONGS_API_JAEGER to it')

/** A span as Jaeger's query API (`/api/traces`) answers it. */
export interface JaegerSpan {
  traceID: string
  spanID: string
  operationName: string
  references: Array<{ refType: string, traceID: string, spanID: string }>
  startTime: number
  duration: number
  tags: Array<{ key: string, type: string, value: unknown }>
  logs: Array<{ timestamp: number, fields: Array<{ key: string, value: unknown }> }>
  processID: string
}

export interface JaegerTrace {
  traceID: string
  spans: JaegerSpan[]
  processes: Record<string, { serviceName: string, tags: Array<{ key: string, value: unknown }> }>
}

/** A span's tags as one object: `tag(span)['http.route']`. */
export function tagsOf (span: JaegerSpan): Record<string, unknown> {
  return Object.fromEntries(span.tags.map(tag => [tag.key, tag.value]))
}

/** The span's parent in the trace (Jaeger's CHILD_OF reference), undefined for a root. */
export function parentOf (span: JaegerSpan): string | undefined {
  return span.references.find(reference => reference.refType === 'CHILD_OF')?.spanID
}

/**
 * A real Jaeger v2 (in-memory storage) on free loopback ports: OTLP over HTTP in, the query API out, nothing else
 * listening. Stopped when the test ends. `trace(id, done)` polls the query API until the trace satisfies `done`
 * (spans are exported in batches, a little after the request), `traces(service)` answers every stored trace.
 */
export async function jaeger (t: Test) {
  const [otlpPort, queryPort, queryGrpcPort] = [await freePort(), await freePort(), await freePort()]
  const dir = await mkdtemp(join(tmpdir(), 'jaeger-'))
  const config = join(dir, 'config.yaml')
  await writeFile(config, JSON.stringify({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query'],
      pipelines: { traces: { receivers: ['otlp'], processors: [], exporters: ['jaeger_storage_exporter'] } },
      telemetry: { metrics: { level: 'none' }, logs: { level: 'warn' } }
    },
    extensions: {
      jaeger_storage: { backends: { memory: { memory: { max_traces: 10000 } } } },
      jaeger_query: { storage: { traces: 'memory' }, http: { endpoint: `127.0.0.1:${queryPort}` }, grpc: { endpoint: `127.0.0.1:${queryGrpcPort}` } }
    },
    receivers: { otlp: { protocols: { http: { endpoint: `127.0.0.1:${otlpPort}` } } } },
    exporters: { jaeger_storage_exporter: { trace_storage: 'memory' } }
  }))
  let output = ''
  const child = spawn(jaegerProgram.path!, ['--config', config], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.on('data', chunk => { output += chunk })
  child.stderr.on('data', chunk => { output += chunk })
  const exited = once(child, 'exit')
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
  })
  const query = `http://127.0.0.1:${queryPort}`
  const get = async <T>(path: string): Promise<T | undefined> => {
    const response = await fetch(query + path).catch(() => undefined)
    return response?.ok ? (await response.json() as { data: T }).data : undefined
  }
  const otlpEndpoint = `http://127.0.0.1:${otlpPort}`
  for (let attempt = 0; ; attempt++) {
    const otlpUp = await fetch(`${otlpEndpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(r => r.ok, () => false)
    if (otlpUp && await get('/api/services') !== undefined) break
    if (child.exitCode !== null || attempt === 600) throw new Error(`Jaeger did not start:\n${output}`)
    await sleep(100)
  }

  /** Polls until trace `id` is stored and `done` holds for it; gives up after a minute with what it has. */
  async function trace (id: string, done: (trace: JaegerTrace) => boolean = () => true): Promise<JaegerTrace> {
    let last: JaegerTrace | undefined
    for (let attempt = 0; attempt < 600; attempt++) {
      last = (await get<JaegerTrace[]>(`/api/traces/${id}`))?.[0]
      if (last && done(last)) return last
      await sleep(100)
    }
    throw new Error(`trace ${id} is not complete in Jaeger: ${JSON.stringify(last)}`)
  }

  return {
    /** For the server's `OTEL_EXPORTER_OTLP_ENDPOINT`. */
    otlpEndpoint,
    trace,
    /** Every trace Jaeger holds for the service, as the query API answers them. */
    traces: async (service: string) => await get<JaegerTrace[]>(`/api/traces?service=${encodeURIComponent(service)}&limit=100000&lookback=1h`) ?? [],
    output: () => output
  }
}
