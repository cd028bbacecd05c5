import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { reconcileRatings } from '../../../src/db/reconcile-ratings.ts'
import { expectedSummary } from '../../expected-summary.ts'
import { buildAppBehindProxy, json } from '../../helper.ts'

// MONGODB_TIMEOUT_MS: how long one database wait may take; a read is retried once by the driver.
const DATABASE_TIMEOUT_MS = 2000
const OUTAGES = 2

interface Acknowledged { songId: string, rating: number }

t.test('with the database cut away mid-run, every route answers 503 problems in time, then recovers; no acknowledged rating is lost', async t => {
  const { app, proxy, database: { collections } } = await buildAppBehindProxy(t, { MONGODB_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS), RATE_LIMIT_MAX: '100000' })
  const songIds: string[] = json(await app.inject('/songs?limit=3')).items.map((song: { id: string }) => song.id)

  // Clients rate songs throughout, each retrying a failed rating with its Idempotency-Key until it is acknowledged.
  const acknowledged = new Map<string, Acknowledged>()
  const answered = new Map<number, number>()
  const run = { rating: true }
  const client = async (n: number) => {
    for (let i = 0; run.rating; i++) {
      const request = { songId: songIds[(n + i) % songIds.length]!, rating: 1 + ((n * 7 + i) % 5) }
      const key = randomUUID()
      for (;;) {
        const response = await app.inject({ method: 'POST', url: '/songs/rating', headers: { 'idempotency-key': key }, payload: { song_id: request.songId, rating: request.rating } })
        answered.set(response.statusCode, (answered.get(response.statusCode) ?? 0) + 1)
        if (response.statusCode === 201) break
        // 409: an attempt cut off mid-way holds the key, and could not give it up; the rating is answered once that
        // claim counts as abandoned (3 × MONGODB_TIMEOUT_MS: 6 s here).
        if (response.statusCode !== 503 && response.statusCode !== 409) throw new Error(`rating answered ${response.statusCode}: ${response.body}`)
        await sleep(100)
      }
      acknowledged.set(key, request)
    }
  }
  const clients = Promise.all([0, 1, 2, 3].map(client))

  const routes = [
    { method: 'GET' as const, url: '/songs' },
    { method: 'GET' as const, url: '/songs/search?message=the' },
    { method: 'GET' as const, url: '/songs/avg/difficulty' },
    { method: 'GET' as const, url: '/songs/avg/difficulty?level=13' },
    { method: 'GET' as const, url: `/songs/avg/rating/${songIds[0]}` },
    { method: 'POST' as const, url: '/songs/rating', payload: { song_id: songIds[1], rating: 3 } }
  ]
  for (let outage = 1; outage <= OUTAGES; outage++) {
    await sleep(1000)
    proxy.cut()
    t.comment(`outage ${outage}: database cut with ${acknowledged.size} ratings acknowledged so far`)
    const answers = await Promise.all(routes.map(async route => {
      const started = Date.now()
      return { route, response: await app.inject(route), ms: Date.now() - started }
    }))
    for (const { route, response, ms } of answers) {
      const label = `outage ${outage}: ${route.method} ${route.url}`
      t.equal(response.statusCode, 503, label)
      t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', label)
      t.match(json(response), { status: 503, code: 'DATABASE_UNAVAILABLE', detail: 'The database is not answering; try again shortly.' }, label)
      t.ok(ms < 2 * DATABASE_TIMEOUT_MS + 2000, `${label}: answered in ${ms} ms, within twice the ${DATABASE_TIMEOUT_MS} ms timeout`)
    }
    const notReady = await app.inject('/ready')
    t.equal(notReady.statusCode, 503, `outage ${outage}: /ready is 503, the balancer stops sending traffic here`)
    t.match(json(notReady), { status: 503, code: 'DATABASE_UNAVAILABLE' })
    t.same(json(await app.inject('/health')), { status: 'ok' }, `outage ${outage}: /health stays 200, the process is alive: no restart`)

    proxy.restore()
    const restored = Date.now()
    let statuses: number[] = []
    while (Date.now() - restored < 20_000) {
      statuses = (await Promise.all(routes.slice(0, 5).map(route => app.inject(route)))).map(response => response.statusCode)
      if (statuses.every(status => status === 200)) break
      await sleep(250)
    }
    t.same(statuses, [200, 200, 200, 200, 200], `outage ${outage}: every route back to 200 ${Date.now() - restored} ms after the database returned, without a restart`)
    t.equal((await app.inject('/ready')).statusCode, 200, `outage ${outage}: ready again`)
  }
  await sleep(500)
  run.rating = false
  await clients
  t.notOk(answered.has(500), 'no 500 at any time')
  t.comment(`rating answers: ${[...answered].map(([status, n]) => `${status}×${n}`).join(', ')}`)

  const stored = await collections.ratings.find().toArray()
  const keys = await collections.idempotencyKeys.find().toArray()
  const storedIds = new Set(stored.map(r => r._id.toHexString()))
  const ackedRatingIds = keys.filter(k => acknowledged.has(k._id)).map(k => k.rating_id.toHexString())
  t.equal(ackedRatingIds.length, acknowledged.size, 'every acknowledged key is recorded')
  t.ok(ackedRatingIds.every(id => storedIds.has(id)), `all ${acknowledged.size} acknowledged ratings are stored`)
  const extra = stored.length - acknowledged.size - OUTAGES
  t.ok(extra <= 0, `${stored.length} stored for ${acknowledged.size} acknowledged (+ up to ${OUTAGES} unkeyed posts made during the outages): nothing counted twice`)

  await reconcileRatings(collections)
  for (const songId of songIds) {
    const own = stored.filter(r => r.song_id.toHexString() === songId).map(r => r.rating)
    t.same(json(await app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, own), `after ratings:reconcile the summary of ${songId} equals its ${own.length} stored ratings`)
  }
  t.comment(`figures: ${OUTAGES} outages, ${acknowledged.size} ratings acknowledged, ${acknowledged.size} stored, lost: 0`)
})
