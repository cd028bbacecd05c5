import t from 'tap'
import { MongoServerError } from 'mongodb'
import { retryingTransient } from '../../src/db/retry-transient.ts'

// DocumentDB's recorded answers (README, "MongoDB-compatible engines").
const deadlock = () => new MongoServerError({ ok: 0, errmsg: 'deadlock detected', code: 1, codeName: 'InternalError' })
const conflict = () => new MongoServerError({ ok: 0, errmsg: 'conflicting key value violates exclusion constraint "documents_rum_index_1659"', code: 1, codeName: 'InternalError' })

/** A command that is refused with each of `refusals` in turn, then succeeds; counts how often it was sent. */
function command (...refusals: Error[]) {
  let sent = 0
  return {
    run: async () => {
      const refusal = refusals[sent++]
      if (refusal) throw refusal
      return 'created'
    },
    sent: () => sent
  }
}

t.test('a transient refusal is sent again, with growing waits, until it succeeds', async t => {
  const index = command(deadlock(), deadlock())
  const started = Date.now()
  t.equal(await retryingTransient(index.run, { attempts: 5, firstDelayMs: 20 }), 'created')
  t.equal(index.sent(), 3)
  t.ok(Date.now() - started >= 20 + 40, 'waited 20 ms, then 40 ms')
})

t.test('a refusal that is not transient is thrown at once', async t => {
  const index = command(conflict())
  await t.rejects(retryingTransient(index.run, { firstDelayMs: 1 }), { code: 1, message: /exclusion constraint/ })
  t.equal(index.sent(), 1)
})

t.test('a transient refusal that does not pass is thrown after the last attempt', async t => {
  const index = command(deadlock(), deadlock(), deadlock())
  await t.rejects(retryingTransient(index.run, { attempts: 3, firstDelayMs: 1 }), { message: 'deadlock detected' })
  t.equal(index.sent(), 3, 'sent three times, no more')
})
