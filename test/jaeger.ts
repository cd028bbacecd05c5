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

const MAX_TRACES = 10_000

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
 * listening. Stopped when the test ends. `trace` and `traces` read back what it stored through its query API.
 */
export async function jaeger (t: Test) {
  const [otlpPort, queryPort, queryGrpcPort] = [await freePort(), await freePort(), await freePort()]
  const dir = await mkdtemp(join(tmpdir(), 'jaeger-'))
  const config = join(dir, 'config.yaml')
  await writeFile(config, JSON.stringify({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query'],
      pipelines: { traces: { receivers: ['otlp'], processors: [], exporters: ['jaeger_storage_exporter'] } },
      telemetry: { metrics: { level: 'none' }, traces: { level: 'none' }, logs: { level: 'warn' } }
    },
    extensions: {
      jaeger_storage: { backends: { memory: { memory: { max_traces: MAX_TRACES } } } },
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

  /** Reads until `done` holds for what was read (spans arrive in batches, a little after the request); a minute at most. */
  async function until<T> (read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    let last = await read()
    for (let attempt = 0; !done(last); attempt++) {
      if (attempt === 600) throw new Error(`${what} is not in Jaeger: ${JSON.stringify(last).slice(0, 2000)}`)
      await sleep(100)
      last = await read()
    }
    return last
  }
  // A search answers at most as many traces as the storage keeps (an error otherwise, which fails the test).
  const stored = async (service: string): Promise<JaegerTrace[]> => {
    const response = await fetch(`${query}/api/traces?service=${encodeURIComponent(service)}&limit=${MAX_TRACES}&lookback=1h`)
    const body = await response.json() as { data: JaegerTrace[] | null, errors: unknown[] | null }
    if (!response.ok || body.errors) throw new Error(`Jaeger's trace search failed: ${JSON.stringify(body)}`)
    return body.data ?? []
  }

  return {
    /** For the server's `OTEL_EXPORTER_OTLP_ENDPOINT`. */
    otlpEndpoint,
    /** Trace `id`, once it is stored and `done` holds for it. */
    trace: async (id: string, done: (trace: JaegerTrace) => boolean) =>
      (await until(async () => (await get<JaegerTrace[]>(`/api/traces/${id}`))?.[0], trace => trace !== undefined && done(trace), `trace ${id}`))!,
    /** Every trace Jaeger holds for the service, once `done` holds for them. */
    traces: (service: string, done: (traces: JaegerTrace[]) => boolean = () => true) => until(() => stored(service), done, `the traces of ${service}`),
    output: () => output
  }
}
