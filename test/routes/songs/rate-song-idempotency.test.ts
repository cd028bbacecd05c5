import { ObjectId } from 'mongodb'
import t from 'tap'
import { removeExpired } from '../../../src/db/expiring-documents.ts'
import { fingerprint } from '../../../src/db/idempotency-keys.ts'
import { expectedSummary } from '../../expected-summary.ts'
import { buildTestApp, isFerretDB, json, type TestApp, testConfig } from '../../helper.ts'
import { firstSongId } from '../../rate-song.ts'

function rate (app: TestApp, payload: object, key?: string) {
  return app.inject({ method: 'POST', url: '/songs/rating', payload, headers: key === undefined ? {} : { 'idempotency-key': key } })
}

t.test('a retry with the same Idempotency-Key and body gets the first answer and counts once', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  const first = await rate(app, { song_id: songId, rating: 4 }, 'key-1')
  t.equal(first.statusCode, 201)
  await rate(app, { song_id: songId, rating: 2 })
  const retry = await rate(app, { song_id: songId, rating: 4 }, 'key-1')
  t.equal(retry.statusCode, 201)
  t.equal(retry.body, first.body, 'the very same answer, not the summary as it is now')
  t.same(json(await app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, [4, 2]))
  t.equal(await app.database.collections.ratings.countDocuments({ song_id: new ObjectId(songId) }), 2)
})

t.test('racing retries with one key store one rating, and all get the same answer', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  const answers = await Promise.all(Array.from({ length: 20 }, () => rate(app, { song_id: songId, rating: 5 }, 'racing-key')))
  t.same(new Set(answers.map(a => a.statusCode)), new Set([201]))
  t.equal(new Set(answers.map(a => a.body)).size, 1, 'one answer for all')
  t.match(json(answers[0]!), { count: 1, average: 5 })
  t.equal(await app.database.collections.ratings.countDocuments({ song_id: new ObjectId(songId) }), 1, 'stored once')
})

t.test('a request that fails after claiming its key gives it up: the retry is served at once and the rating stored once', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  const { ratings, songs } = app.database.collections
  // Counts the database refuses to $inc: the request fails at its first write, before its rating is stored.
  await songs.updateOne({ _id: new ObjectId(songId) }, { $set: { 'rating.count': 'not a number' } } as never)
  const failed = await rate(app, { song_id: songId, rating: 4 }, 'failing')
  t.equal(failed.statusCode, 500)
  t.match(json(failed), { code: 'INTERNAL_ERROR' })
  await songs.updateOne({ _id: new ObjectId(songId) }, { $unset: { rating: '' } })
  const retry = await rate(app, { song_id: songId, rating: 4 }, 'failing')
  t.equal(retry.statusCode, 201, 'not a 409 for the claim of a request that is over')
  t.same(json(retry), expectedSummary(songId, [4]))
  t.equal(await ratings.countDocuments({ song_id: new ObjectId(songId) }), 1, 'stored once, by the retry')
  t.equal((await rate(app, { song_id: songId, rating: 4 }, 'failing')).body, retry.body, 'later retries get the same answer')
})

t.test('a retry while the request that claimed the key is still at work (a young claim) gets a 409 problem and stores nothing', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  const { ratings, idempotencyKeys } = app.database.collections
  await idempotencyKeys.insertOne({ _id: 'at-work', request: fingerprint(songId, 5), rating_id: new ObjectId(), created_at: new Date() })
  const retry = await rate(app, { song_id: songId, rating: 5 }, 'at-work')
  t.equal(retry.statusCode, 409)
  t.equal(retry.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(json(retry), { status: 409, code: 'IDEMPOTENCY_KEY_BUSY' })
  t.equal(await ratings.countDocuments(), 0)
})

t.test('a retry takes over a claim that counts as abandoned (3 × MONGODB_TIMEOUT_MS unanswered: a crashed request) and stores its rating once', async t => {
  const app = await buildTestApp(t) // MONGODB_TIMEOUT_MS 10 s: abandoned after 30 s
  const songId = await firstSongId(app)
  const { ratings, idempotencyKeys } = app.database.collections
  const ratingId = new ObjectId()
  await idempotencyKeys.insertOne({ _id: 'crashed', request: fingerprint(songId, 2), rating_id: ratingId, created_at: new Date(Date.now() - 31_000) })
  const retry = await rate(app, { song_id: songId, rating: 2 }, 'crashed')
  t.equal(retry.statusCode, 201)
  t.same(json(retry), expectedSummary(songId, [2]))
  t.same((await ratings.find().toArray()).map(r => r._id), [ratingId], 'stored under the id the crashed request claimed')
})

t.test('a retry waits for a claim no request can give up (its database out of reach) only until it counts as abandoned, then takes it over', async t => {
  const app = await buildTestApp(t, { MONGODB_TIMEOUT_MS: '2000' }) // abandoned after max(5 s, 3 × 2 s) = 6 s
  const songId = await firstSongId(app)
  const { ratings, idempotencyKeys } = app.database.collections
  const ratingId = new ObjectId()
  await idempotencyKeys.insertOne({ _id: 'left', request: fingerprint(songId, 3), rating_id: ratingId, created_at: new Date(Date.now() - 3000) })
  const started = Date.now()
  const retry = await rate(app, { song_id: songId, rating: 3 }, 'left')
  const waited = Date.now() - started
  t.equal(retry.statusCode, 201, `answered after ${waited} ms: a 201, not a 409 (the claim is ${3000 + waited} ms old)`)
  t.ok(waited >= 2900, `it waited for the claim's request until the claim was 6 s old (${waited} ms)`)
  t.same(json(retry), expectedSummary(songId, [3]))
  t.same((await ratings.find().toArray()).map(r => r._id), [ratingId], 'stored once, under the id the claim fixed')
})

t.test('the same key with another body is a 422 problem and stores nothing', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  t.equal((await rate(app, { song_id: songId, rating: 3 }, 'reused')).statusCode, 201)
  const reused = await rate(app, { song_id: songId, rating: 1 }, 'reused')
  t.equal(reused.statusCode, 422)
  t.equal(reused.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(json(reused), { status: 422, code: 'IDEMPOTENCY_KEY_REUSED' })
  t.equal(await app.database.collections.ratings.countDocuments(), 1)
})

t.test('keys are bounded: empty, over 200 characters or with spaces are 400 problems', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  for (const key of ['', 'k'.repeat(201), 'has space', 'é']) {
    const response = await rate(app, { song_id: songId, rating: 3 }, key)
    t.equal(response.statusCode, 400, JSON.stringify(key).slice(0, 20))
    t.match(json(response), { code: 'VALIDATION_FAILED', errors: [{ field: /headers\.idempotency-key/ }] })
  }
  t.equal(await app.database.collections.ratings.countDocuments(), 0)
})

t.test('a key older than IDEMPOTENCY_TTL_SECONDS is gone: the request counts again', async t => {
  const app = await buildTestApp(t, { IDEMPOTENCY_TTL_SECONDS: '60' })
  const songId = await firstSongId(app)
  const keys = app.database.collections.idempotencyKeys
  t.equal((await rate(app, { song_id: songId, rating: 2 }, 'old')).statusCode, 201)
  if (await isFerretDB(app.database.db)) t.comment('FerretDB has no TTL indexes: expired keys are removed by removeExpired each minute')
  else t.match((await keys.indexes()).find(index => index.name === 'created_at_ttl'), { key: { created_at: 1 }, expireAfterSeconds: 60 }, 'a TTL index removes keys')
  await keys.updateOne({ _id: 'old' }, { $set: { created_at: new Date(Date.now() - 61_000) } })
  const again = await rate(app, { song_id: songId, rating: 4 }, 'old')
  t.equal(again.statusCode, 201, 'an expired key may carry another body')
  t.match(json(again), { count: 2 })
})

t.test('expired keys are removed, by the TTL index or the sweep that stands in for it', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  const keys = app.database.collections.idempotencyKeys
  await rate(app, { song_id: songId, rating: 2 }, 'expired')
  await rate(app, { song_id: songId, rating: 2 }, 'current')
  await keys.updateOne({ _id: 'expired' }, { $set: { created_at: new Date(Date.now() - 2 * 86_400_000) } })
  t.equal(await removeExpired(keys, 86_400_000), 1)
  t.same((await keys.find().toArray()).map(key => key._id), ['current'])
})

t.test('a changed TTL is applied to the existing index at the next start', async t => {
  const app = await buildTestApp(t, { IDEMPOTENCY_TTL_SECONDS: '60' })
  if (await isFerretDB(app.database.db)) {
    t.comment('Checked on MongoDB only: FerretDB has no TTL indexes, so there is no TTL to change')
    return
  }
  const { buildApp } = await import('../../../src/app.ts')
  const restarted = await buildApp(testConfig({ MONGODB_URL: app.database.url, IDEMPOTENCY_TTL_SECONDS: '120' }))
  await restarted.close()
  const index = (await app.database.collections.idempotencyKeys.indexes()).find(index => index.name === 'created_at_ttl')
  t.equal(index?.expireAfterSeconds, 120)
})
