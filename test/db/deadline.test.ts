import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildAppBehindProxy, json } from '../helper.ts'

const DATABASE_TIMEOUT_MS = 1000
const ROUNDS = 10
// Longer than any answer may take while the database drops its connections: an operation gives up by its deadline
// (2 × MONGODB_TIMEOUT_MS), and a rating makes several one after another. A request unanswered by then hangs.
const HUNG_AFTER_MS = 5 * DATABASE_TIMEOUT_MS + 3000

t.test('requests sent just as the database drops its connections all answer, none hangs', async t => {
  const { app, proxy } = await buildAppBehindProxy(t, { MONGODB_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS), RATE_LIMIT_MAX: '100000' })
  const songIds: string[] = json(await app.inject('/songs?limit=4')).items.map((song: { id: string }) => song.id)
  const requests = [
    () => app.inject('/songs?limit=5'),
    () => app.inject(`/songs/avg/rating/${songIds[0]}`),
    () => app.inject({ method: 'POST', url: '/songs/rating', payload: { song_id: songIds[1], rating: 4 } })
  ]
  const answered = new Map<number, number>()
  const hung: string[] = []
  const send = async (round: number, n: number) => {
    const started = Date.now()
    const response = await Promise.race([requests[n % requests.length]!(), sleep(HUNG_AFTER_MS, null, { ref: false })])
    if (response === null) hung.push(`round ${round}: request ${n} unanswered after ${Date.now() - started} ms`)
    else answered.set(response.statusCode, (answered.get(response.statusCode) ?? 0) + 1)
  }
  for (let round = 1; round <= ROUNDS; round++) {
    // Fill the pool with connections, then cut them while requests take them, over a few turns of the event loop.
    await Promise.all(Array.from({ length: 8 }, (_, n) => requests[n % requests.length]!()))
    proxy.cut()
    const inFlight: Promise<void>[] = []
    for (let turn = 0; turn < 6; turn++) {
      for (let n = 0; n < 4; n++) inFlight.push(send(round, turn * 4 + n))
      await new Promise(resolve => setImmediate(resolve))
    }
    await sleep(50)
    proxy.restore()
    await Promise.all(inFlight)
  }
  t.same(hung, [], `${ROUNDS} rounds of 24 requests: every one answered (${[...answered].map(([status, n]) => `${status}×${n}`).join(', ')})`)
  t.same([...answered.keys()].filter(status => status !== 200 && status !== 201 && status !== 503), [], 'each answered 200, 201 or a 503 problem')
  t.equal((await app.inject('/songs?limit=1')).statusCode, 200, 'the API is back once the database is')
})
