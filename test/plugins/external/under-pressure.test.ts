import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildTestApp, json } from '../../helper.ts'

function blockEventLoop (ms: number) {
  const until = Date.now() + ms
  while (Date.now() < until) { /* a synchronous stall, as a CPU-bound request would cause */ }
}

t.test('with the event loop saturated, routes answer a fast 503 problem with Retry-After; probes and metrics still answer', async t => {
  // under-pressure compares the MEAN of the loop-delay samples (one per 10 ms) of each 1 s interval: one stall
  // of 5 s among at most 100 other samples keeps that mean above ~49 ms, whatever the phase of the interval.
  const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '40' })
  t.equal((await app.inject('/songs?limit=1')).statusCode, 200)

  blockEventLoop(5000)
  await sleep(50) // the sampler runs: its last sample saw the 5 s stall

  const shed = await app.inject('/songs?limit=1')
  t.equal(shed.statusCode, 503)
  t.equal(shed.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(shed.headers['retry-after'], '5')
  t.same(json(shed), {
    type: 'urn:songs-api:problem:overloaded',
    title: 'Service Unavailable',
    status: 503,
    detail: 'The server is overloaded; retry after the time in Retry-After.',
    code: 'OVERLOADED'
  })
  t.equal((await app.inject('/health')).statusCode, 200, 'a busy process is still alive')
  t.equal((await app.inject('/metrics')).statusCode, 200, 'the numbers stay readable')
  t.equal((await app.inject('/ready')).statusCode, 503, 'a saturated task asks for no more traffic')

  let status = 503
  for (let attempt = 0; attempt < 40 && status === 503; attempt++) {
    await sleep(250)
    status = (await app.inject('/songs?limit=1')).statusCode
  }
  t.equal(status, 200, 'served again once the loop is free')
})

t.test('MAX_EVENT_LOOP_DELAY_MS=0 sheds nothing, even after a stall longer than the sampling interval', async t => {
  // A whole interval without a loop sample counts as an infinite delay, above any threshold: only 0 turns shedding off.
  const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' })
  blockEventLoop(2500)
  await sleep(50)
  t.equal((await app.inject('/songs?limit=1')).statusCode, 200)
  t.equal((await app.inject('/ready')).statusCode, 200, 'the task still takes traffic')
})
