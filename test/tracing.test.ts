import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { parentOf, tagsOf, type JaegerSpan, type JaegerTrace } from './jaeger.ts'
import { freePort, runProgram, SERVER_ARGS, startServer } from './run-script.ts'
import { tracedServer, tracedServerSkip } from './traced-server.ts'

const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }

t.equal(PACKAGE.scripts.start, `node ${SERVER_ARGS.join(' ')}`, 'the tests start the server as npm start does: with the tracing preload')

t.test('unconfigured, the tracing preload loads no SDK and registers nothing; configured, a tracer provider', async t => {
  // What the OpenTelemetry API has registered in the process: it keeps its globals under this symbol.
  const registered = "console.log(JSON.stringify(Object.keys(globalThis[Symbol.for('opentelemetry.js.api.1')] ?? {})))"
  const preload = SERVER_ARGS.slice(0, 2)
  const off = await runProgram(process.execPath, [...preload, '-e', registered], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined } })
  t.equal(off.code, 0, off.stderr)
  t.same(JSON.parse(off.stdout), [], 'nothing set: not even the API is loaded')
  const on = await runProgram(process.execPath, [...preload, '-e', registered], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' } })
  t.equal(on.code, 0, on.stderr)
  t.ok((JSON.parse(on.stdout) as string[]).includes('trace'), 'an endpoint set: a tracer provider is registered')
})

/** The request's log lines (by its request id), parsed. */
function logLines (output: string, requestId: string): Array<Record<string, unknown>> {
  return output.split('\n').filter(line => line.includes(`"reqId":"${requestId}"`)).map(line => JSON.parse(line) as Record<string, unknown>)
}

/** The root span of the trace, checked to be the only one, and every other span's parent checked to be in the trace. */
function checkedTree (t: Test, trace: JaegerTrace): JaegerSpan {
  const ids = new Set(trace.spans.map(span => span.spanID))
  t.ok(trace.spans.every(span => span.traceID === trace.traceID), 'one trace id throughout')
  const roots = trace.spans.filter(span => parentOf(span) === undefined)
  t.equal(roots.length, 1, 'one root span')
  t.ok(trace.spans.every(span => parentOf(span) === undefined || ids.has(parentOf(span)!)), 'every other span\'s parent is in the trace')
  return roots[0]!
}

/** Whether `span` descends from `ancestor` in the trace. */
function descendsFrom (trace: JaegerTrace, span: JaegerSpan, ancestor: JaegerSpan): boolean {
  const byId = new Map(trace.spans.map(s => [s.spanID, s]))
  for (let parent = parentOf(span); parent !== undefined; parent = parentOf(byId.get(parent)!)) {
    if (parent === ancestor.spanID) return true
  }
  return false
}

const hasServerSpan = (name: string) => (trace: JaegerTrace) => trace.spans.some(span => span.operationName === name && tagsOf(span)['span.kind'] === 'server')

t.test('a request is traced into a real Jaeger: the server span, its MongoDB, Redis and password spans, the caller\'s trace continued', { skip: tracedServerSkip }, async t => {
  const { receiver, database: { url, db }, server, base } = await tracedServer(t, { LOG_LEVEL: 'info', OTEL_SERVICE_NAME: undefined })
  const post = (path: string, body: object, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  /** The trace id the request's log lines carry (once its last line is written), checked to be the same on every line. */
  const traceIdOf = async (response: Response) => {
    const requestId = response.headers.get('x-request-id')!
    for (let attempt = 0; !logLines(server.output(), requestId).some(line => line.msg === 'request completed'); attempt++) {
      if (attempt === 600) throw new Error(`no "request completed" line for ${requestId}`)
      await sleep(100)
    }
    const lines = logLines(server.output(), requestId)
    const ids = new Set(lines.map(line => line.trace_id))
    t.equal(ids.size, 1, 'every log line of the request carries the same trace_id')
    return { traceId: [...ids][0] as string, lines }
  }

  await t.test('a rating: the server span named by its route, with HTTP attributes, and a child span per MongoDB command', async t => {
    const songs = await (await fetch(`${base}/songs?limit=1`)).json() as { items: Array<{ id: string }> }
    const songId = songs.items[0]!.id
    const response = await post('/songs/rating', { song_id: songId, rating: 4 })
    t.equal(response.status, 201)
    const { traceId, lines } = await traceIdOf(response)
    const trace = await receiver.trace(traceId, hasServerSpan('POST /songs/rating'))
    const root = checkedTree(t, trace)
    t.equal(root.operationName, 'POST /songs/rating', 'the server span is named by method and route template')
    t.match(tagsOf(root), {
      'span.kind': 'server',
      'http.request.method': 'POST',
      'http.route': '/songs/rating',
      'http.response.status_code': 201,
      'url.path': '/songs/rating',
      'url.scheme': 'http'
    }, 'HTTP semantic-convention attributes and the status')
    t.equal(trace.processes[root.processID]!.serviceName, 'songs-api', 'the default service name')
    const mongodb = trace.spans.filter(span => tagsOf(span)['db.system.name'] === 'mongodb')
    t.ok(mongodb.length >= 2, `the rating's MongoDB commands are spans (${mongodb.map(span => span.operationName).join(', ')})`)
    for (const span of mongodb) {
      const tags = tagsOf(span)
      t.equal(tags['db.namespace'], db.databaseName, `${span.operationName}: its database`)
      t.ok(tags['db.collection.name'] && tags['db.operation.name'], `${span.operationName}: its collection and operation`)
      t.equal(tagsOf(span)['span.kind'], 'client')
      t.ok(descendsFrom(trace, span, root), `${span.operationName}: under the server span`)
    }
    t.ok(mongodb.some(span => tagsOf(span)['db.collection.name'] === 'ratings'), 'the rating\'s own write is among them')
    t.notOk(JSON.stringify(mongodb).includes(songId), 'no filter value or document in the MongoDB spans')
    const spanIds = new Set(trace.spans.map(span => span.spanID))
    t.ok(lines.length >= 2 && lines.every(line => spanIds.has(line.span_id as string)), 'each log line names a span of the trace')
    t.ok(lines.some(line => line.msg === 'request completed' && line.span_id === root.spanID), 'the request log line names the server span')
  })

  await t.test('a sign-in: the password check is a span of its own, beside the Redis commands of the sign-in limiter', async t => {
    const username = `traced${randomBytes(4).toString('hex')}`
    const password = `pw-${randomBytes(12).toString('base64url')}`
    const signUp = await post('/users', { username, password })
    t.equal(signUp.status, 201)
    const signUpTrace = await receiver.trace((await traceIdOf(signUp)).traceId, hasServerSpan('POST /users'))
    t.ok(signUpTrace.spans.some(span => span.operationName === 'password hash'), 'sign-up: the password hash span')

    const signIn = await post('/auth/token', { username, password })
    t.equal(signIn.status, 200)
    const trace = await receiver.trace((await traceIdOf(signIn)).traceId, hasServerSpan('POST /auth/token'))
    const root = checkedTree(t, trace)
    t.equal(root.operationName, 'POST /auth/token')
    const check = trace.spans.find(span => span.operationName === 'password verify')
    t.ok(check, 'the password check is a span')
    t.ok(descendsFrom(trace, check!, root), 'under the server span')
    t.match(tagsOf(check!), { 'password.algorithm': 'argon2id' })
    t.ok(check!.duration > 0 && check!.duration <= root.duration, `it takes part of the request's time (${check!.duration} of ${root.duration} µs)`)
    const redisSpans = trace.spans.filter(span => tagsOf(span)['db.system.name'] === 'redis')
    t.ok(redisSpans.length >= 1, `the limiters' Redis commands are spans (${redisSpans.map(span => span.operationName).join(', ')})`)
    t.ok(redisSpans.every(span => descendsFrom(trace, span, root)), 'under the server span')
    t.notOk(JSON.stringify(trace).includes(username), 'no key naming the user in any span')
  })

  await t.test('an incoming W3C traceparent is continued; an unsampled one exports nothing but its ids still reach the log', async t => {
    const callerTrace = randomBytes(16).toString('hex')
    const callerSpan = randomBytes(8).toString('hex')
    const unsampledTrace = randomBytes(16).toString('hex')
    const unsampled = await fetch(`${base}/songs?limit=1`, { headers: { traceparent: `00-${unsampledTrace}-${callerSpan}-00` } })
    t.equal(unsampled.status, 200)
    t.equal((await traceIdOf(unsampled)).traceId, unsampledTrace, 'the log line carries the caller\'s trace id')
    const response = await fetch(`${base}/songs?limit=1`, { headers: { traceparent: `00-${callerTrace}-${callerSpan}-01` } })
    t.equal(response.status, 200)
    t.equal(response.headers.get('x-request-id')?.length, 36, 'the request id is still the API\'s own')
    const trace = await receiver.trace(callerTrace, hasServerSpan('GET /songs'))
    const server = trace.spans.find(span => span.operationName === 'GET /songs')!
    t.equal(parentOf(server), callerSpan, 'the server span is the caller\'s span\'s child')
    t.match(tagsOf(server), { 'url.path': '/songs', 'url.query': 'limit=1' })
    // Spans leave in the order they end: once the later, sampled request is in Jaeger, the earlier one would be too.
    t.same((await receiver.traces('songs-api')).filter(stored => stored.traceID === unsampledTrace), [], 'the unsampled request exported nothing')
  })

  await t.test('SIGTERM exports the spans still buffered before the process exits', async t => {
    const slowPort = await freePort()
    const slow = await startServer({
      MONGODB_URL: url,
      PORT: String(slowPort),
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.otlpEndpoint,
      OTEL_SERVICE_NAME: 'songs-api-shutdown',
      // Nothing would leave on its own for a minute.
      OTEL_BSP_SCHEDULE_DELAY: '60000'
    })
    t.teardown(() => slow.child.kill('SIGKILL'))
    const response = await fetch(`http://127.0.0.1:${slowPort}/songs/avg/difficulty`)
    t.equal(response.status, 200)
    slow.child.kill('SIGTERM')
    t.equal(await slow.exited, 0)
    // Nothing else could send it now: the process is gone.
    const traces = await receiver.traces('songs-api-shutdown', traces => traces.some(hasServerSpan('GET /songs/avg/difficulty')))
    t.equal(traces.filter(hasServerSpan('GET /songs/avg/difficulty')).length, 1, 'the request\'s trace is in Jaeger')
  })
})
