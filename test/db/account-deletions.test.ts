import { ObjectId } from 'mongodb'
import t, { type Test } from 'tap'
import { songId } from '../../bench/catalog.ts'
import { loadCatalog } from '../../bench/load-catalog.ts'
import { accountDeletions, DELETION_LEASE_MS, FINAL_SWEEP_AFTER_MS } from '../../src/db/account-deletions.ts'
import { ratingsRepository } from '../../src/plugins/app/ratings-repository.ts'
import { expectedSummary } from '../expected-summary.ts'
import { isFerretDB, testDatabase } from '../helper.ts'

const SEED = 5
const SONGS = 23
const BATCH = 5

/** A catalog, a user with a rating of every song and a refresh token, and the job functions on a clock the test moves. */
async function scenario (t: Test) {
  const { db, collections } = await testDatabase(t)
  await loadCatalog(collections, { songs: SONGS, ratings: SONGS, seed: SEED })
  const ratings = ratingsRepository(collections, { maxTimeMS: 10_000, idempotencyTtlMs: 60_000 })
  const userId = new ObjectId()
  await collections.users.insertOne({ _id: userId, username: 'leaving', password_hash: 'not a real hash', roles: ['user'], created_at: new Date() })
  await collections.refreshTokens.insertOne({ _id: 'digest', user_id: userId, family: new ObjectId(), generation: 0, created_at: new Date() })
  const songs = Array.from({ length: SONGS }, (_, i) => songId(SEED, i))
  for (const [i, song] of songs.entries()) await ratings.rate(song, 1 + i % 5, { userId })
  const clock = { now: Date.now() }
  const jobs = accountDeletions(collections, ratings, { maxTimeMS: 10_000, batch: BATCH, clock: () => clock.now })
  /** Every song's summary is what its stored ratings give, and none of them is the user's. */
  const exact = async (label: string) => {
    t.equal(await collections.userRatings.countDocuments({ user_id: userId }), 0, `${label}: no rating of the user is left`)
    const wrong = []
    for (const song of songs) {
      const stored = [...await collections.ratings.find({ song_id: song }).toArray(), ...await collections.userRatings.find({ song_id: song }).toArray()].map(r => r.rating)
      const summary = await ratings.summary(song)
      if (JSON.stringify(summary) !== JSON.stringify(expectedSummary(song.toHexString(), stored))) wrong.push(song.toHexString())
    }
    t.same(wrong, [], `${label}: every summary equals the ratings stored`)
  }
  return { db, collections, ratings, userId, songs, clock, jobs, exact }
}

t.test('a job removes the ratings a batch at a time under its lease, then the refresh tokens, and ends after its final sweep', async t => {
  const { collections, ratings, userId, songs, clock, jobs, exact } = await scenario(t)
  const job = (await jobs.begin(userId, 'first'))!
  t.ok(job, 'the job is created')
  t.equal(await collections.users.countDocuments({ _id: userId }), 0, 'the user document is gone at once')
  t.equal(await jobs.begin(userId, 'second'), null, 'a second deletion of the same account finds the job and leaves it')

  t.equal(await jobs.work(job, 'first', { maxBatches: 2 }), 'paused')
  t.equal(await collections.userRatings.countDocuments({ user_id: userId }), SONGS - 2 * BATCH, 'two batches removed')
  t.match(await collections.accountDeletions.findOne({ _id: userId }), { owner: 'first', removed_ratings: 2 * BATCH })
  t.equal(await jobs.claim('other'), null, 'a held lease cannot be claimed')
  await jobs.release(userId, 'first')
  const taken = (await jobs.claim('other'))!
  t.match(taken, { _id: userId, owner: 'other' }, 'a released job is claimed at once')

  t.equal(await jobs.work(taken, 'other'), 'sweep-pending', 'no rating left; it waits for its final sweep')
  t.equal(await collections.refreshTokens.countDocuments({ user_id: userId }), 0, 'the refresh tokens are gone')
  t.match(await collections.accountDeletions.findOne({ _id: userId }), { owner: null, removed_ratings: SONGS, lease_until: new Date(job.requested_at.getTime() + FINAL_SWEEP_AFTER_MS) })
  await exact('after the ratings')

  // A request authenticated just before the deletion stores a rating after the job found none.
  await ratings.rate(songs[3]!, 5, { userId })
  t.equal(await jobs.claim('sweeper'), null, 'the final sweep is not due yet')
  clock.now += FINAL_SWEEP_AFTER_MS
  const due = (await jobs.claim('sweeper'))!
  t.ok(due, 'the final sweep is claimed when due')
  t.equal(await jobs.work(due, 'sweeper'), 'done')
  t.equal(await collections.accountDeletions.countDocuments({ _id: userId }), 0, 'the job is gone')
  await exact('after the final sweep')
})

t.test('a crashed holder\'s job is taken over once its lease runs out and finished from where it stopped; the old holder then stops', async t => {
  const { collections, userId, clock, jobs, exact } = await scenario(t)
  const job = (await jobs.begin(userId, 'crashed'))!
  t.equal(await jobs.work(job, 'crashed', { maxBatches: 1 }), 'paused')
  // The holder dies here: no release.
  clock.now += DELETION_LEASE_MS - 1000
  t.equal(await jobs.claim('survivor'), null, 'not before the lease runs out')
  clock.now += 2000
  const taken = (await jobs.claim('survivor'))!
  t.match(taken, { owner: 'survivor', removed_ratings: BATCH })
  t.equal(await collections.userRatings.countDocuments({ user_id: userId }), SONGS - BATCH, 'it goes on from what is left')
  t.equal(await jobs.work(job, 'crashed'), 'lost', 'the old holder, back, loses its lease at the first renewal')
  clock.now += FINAL_SWEEP_AFTER_MS
  t.equal(await jobs.work(taken, 'survivor'), 'done')
  await exact('after the take-over')
})

t.test('a job whose user document is still there (a crash between the two writes) removes it when worked', async t => {
  const { collections, userId, jobs, clock } = await scenario(t)
  await collections.accountDeletions.insertOne({ _id: userId, requested_at: new Date(clock.now), lease_until: new Date(clock.now), owner: null, removed_ratings: 0 })
  t.equal(await collections.users.countDocuments({ _id: userId }), 1)
  const job = (await jobs.claim('resumer'))!
  await jobs.work(job, 'resumer', { maxBatches: 1 })
  t.equal(await collections.users.countDocuments({ _id: userId }), 0, 'the deletion the job stands for is carried out')
})

t.test('of claims racing for one job, one wins', async t => {
  const { db, userId, jobs } = await scenario(t)
  const job = (await jobs.begin(userId, 'first'))!
  await jobs.release(job._id, 'first')
  const claims = await Promise.all(['a', 'b', 'c', 'd'].map(owner => jobs.claim(owner)))
  const won = claims.filter(claim => claim !== null)
  if (await isFerretDB(db)) {
    // FerretDB 1 applies findAndModify as an unlocked read-modify-write, so racing claims can all read the expired lease.
    t.ok(won.length >= 1, `FerretDB 1: ${won.length} of 4 claims won (one on MongoDB, where findAndModify is atomic)`)
  } else {
    t.equal(won.length, 1, 'exactly one claim wins')
  }
})
