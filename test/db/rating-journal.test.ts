import t, { type Test } from 'tap'
import { ObjectId, type CommandStartedEvent } from 'mongodb'
import { signUp } from '../accounts.ts'
import { expectedSummary } from '../expected-summary.ts'
import { buildAppBehindProxy, buildTestApp, isFerretDB, json, type TestApp } from '../helper.ts'
import { firstSongId, rateSong } from '../rate-song.ts'

type Setup = Awaited<ReturnType<typeof buildAppBehindProxy>>

// A busy machine must not turn a slow write into the outage under test; a cut fails the next command at once anyway.
const SLOW_MACHINE = { MONGODB_TIMEOUT_MS: '10000' }

/**
 * Cuts the database away the moment it has answered the app's `command` on `collection` (so the app's next command
 * fails, as in an outage between two writes), and lets it back once a command has failed: the app must have
 * nothing else in flight (flush the batched clears first).
 */
function cutAfter ({ app, proxy }: Setup, command: string, collection: string): Promise<void> {
  const client = app.mongo.client
  const watched = new Set<number>()
  return new Promise(resolve => {
    const started = (event: CommandStartedEvent) => { if (event.command[command] === collection) watched.add(event.requestId) }
    const succeeded = (event: { requestId: number }) => { if (watched.has(event.requestId)) proxy.cut() }
    const failed = () => {
      proxy.restore()
      client.off('commandStarted', started)
      client.off('commandSucceeded', succeeded)
      client.off('commandFailed', failed)
      resolve()
    }
    client.on('commandStarted', started)
    client.on('commandSucceeded', succeeded)
    client.on('commandFailed', failed)
  })
}

/** What the database holds for the song: its stored ratings (anonymous and by users), and its journal entries. */
async function stateOf ({ database: { collections } }: Setup, songId: string) {
  const song = new ObjectId(songId)
  const stored = [
    ...(await collections.ratings.find({ song_id: song }).toArray()).map(r => r.rating),
    ...(await collections.userRatings.find({ song_id: song }).toArray()).map(r => r.rating)
  ]
  const counted = await collections.songs.findOne({ _id: song }, { projection: { rating: 1 } })
  return { stored, pending: counted?.rating?.pending?.length ?? 0 }
}

async function assertCountedOnce (t: Test, setup: Setup, songId: string, expectedStars: number[]) {
  await setup.app.ratingsRepository.flush()
  const { stored, pending } = await stateOf(setup, songId)
  t.same(stored.toSorted(), expectedStars.toSorted(), `stored once each: ${expectedStars.join(', ')}`)
  t.same(json(await setup.app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, expectedStars), 'counted once each in the summary')
  t.equal(pending, 0, 'nothing left journaled')
}

const asTestApp = (setup: Setup) => setup.app as unknown as TestApp

/** The app behind a proxy, and a song with one anonymous rating of 3 whose clear is done: nothing in flight. */
async function ratedSong (t: Test) {
  const setup = await buildAppBehindProxy(t, SLOW_MACHINE)
  const app = asTestApp(setup)
  const songId = await firstSongId(app)
  t.equal((await rateSong(app, songId, 3)).statusCode, 201)
  await setup.app.ratingsRepository.flush()
  return { setup, app, songId }
}

t.test('anonymous, cut between the counts and the rating: its keyed retry stores it once and counts it once', async t => {
  const { setup, app, songId } = await ratedSong(t)
  const outage = cutAfter(setup, 'findAndModify', 'songs')
  const first = await rateSong(app, songId, 5, { 'idempotency-key': 'cut-before-insert' })
  await outage
  t.equal(first.statusCode, 503, 'the request that lost the database fails')
  t.same((await stateOf(setup, songId)).stored, [3], 'its rating was not stored')
  const retry = await rateSong(app, songId, 5, { 'idempotency-key': 'cut-before-insert' })
  t.equal(retry.statusCode, 201, 'the retry succeeds')
  t.same(json(retry), expectedSummary(songId, [3, 5]), 'and answers the summary with the rating counted once')
  await assertCountedOnce(t, setup, songId, [3, 5])
})

t.test('anonymous, cut between the rating and its answer: the keyed retry does not count it again; recovery clears the entry', async t => {
  const setup = await buildAppBehindProxy(t, SLOW_MACHINE)
  const app = asTestApp(setup)
  const songId = await firstSongId(app)
  const outage = cutAfter(setup, 'insert', 'ratings')
  const first = await rateSong(app, songId, 4, { 'idempotency-key': 'cut-after-insert' })
  await outage
  // The cut meets the request's next command: where updates are atomic, the recording of its answer (a 503); on
  // FerretDB 1 the entry's clear, which precedes the answer there and is left to recovery when it fails (then 201).
  t.equal(first.statusCode, await isFerretDB(setup.database.db) ? 201 : 503)
  const retry = await rateSong(app, songId, 4, { 'idempotency-key': 'cut-after-insert' })
  t.equal(retry.statusCode, 201)
  t.same(json(retry), expectedSummary(songId, [4]), 'the stored rating is the counted one')
  await setup.app.ratingsRepository.recover({ olderThanMs: 0 })
  await assertCountedOnce(t, setup, songId, [4])
})

t.test('anonymous without a key, cut between the counts and the rating: recovery stores the counted rating', async t => {
  const { setup, app, songId } = await ratedSong(t)
  const outage = cutAfter(setup, 'findAndModify', 'songs')
  t.equal((await rateSong(app, songId, 2)).statusCode, 503)
  await outage
  t.equal((await stateOf(setup, songId)).pending, 1, 'the change is journaled on the song')
  t.equal(await setup.app.ratingsRepository.recover(), 0, 'a young entry is left to its request')
  t.equal(await setup.app.ratingsRepository.recover({ olderThanMs: 0 }), 1, 'an old one is finished')
  await assertCountedOnce(t, setup, songId, [3, 2])
  t.equal(await setup.app.ratingsRepository.recover({ olderThanMs: 0 }), 0, 'and finished once')
})

t.test('a user\'s rating, cut between the counts and the rating: recovery takes the change back; the next post counts', async t => {
  const setup = await buildAppBehindProxy(t, SLOW_MACHINE)
  const app = asTestApp(setup)
  const songId = await firstSongId(app)
  const alice = await signUp(app)
  t.equal((await rateSong(app, songId, 1, alice.authorization)).statusCode, 201)
  await setup.app.ratingsRepository.flush()
  const outage = cutAfter(setup, 'findAndModify', 'songs')
  t.equal((await rateSong(app, songId, 5, alice.authorization)).statusCode, 503)
  await outage
  t.same(json(await app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, [5]), 'the summary counts the journaled change')
  await setup.app.ratingsRepository.recover({ olderThanMs: 0 })
  await assertCountedOnce(t, setup, songId, [1])
  t.equal((await rateSong(app, songId, 4, alice.authorization)).statusCode, 201)
  await assertCountedOnce(t, setup, songId, [4])
})

t.test('a user\'s rating removed, cut before its entry is cleared: recovery clears it and it stays out of the summary', async t => {
  const { setup, app, songId } = await ratedSong(t)
  const alice = await signUp(app)
  t.equal((await rateSong(app, songId, 2, alice.authorization)).statusCode, 201)
  await setup.app.ratingsRepository.flush()
  const outage = cutAfter(setup, 'delete', 'user_ratings')
  const removed = await app.inject({ method: 'DELETE', url: `/users/me/ratings/${songId}`, headers: alice.authorization })
  await outage
  t.equal(removed.statusCode, 204, 'the removal is done once its rating is gone')
  await setup.app.ratingsRepository.recover({ olderThanMs: 0 })
  await assertCountedOnce(t, setup, songId, [3])
  t.equal(await setup.app.ratingsRepository.removeUserRating(new ObjectId(alice.id), new ObjectId(songId)), false, 'removing it again removes nothing')
  await assertCountedOnce(t, setup, songId, [3])
})

t.test('round trips: a rating is two writes before its answer, its song\'s first as every other, and no read; its clear follows', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  const alice = await signUp(app)
  const commands: string[] = []
  app.mongo.client.on('commandStarted', (event: CommandStartedEvent) => commands.push(`${event.commandName} ${String(event.command[event.commandName])}`))
  const sent = async (stars: number, headers: Record<string, string> = {}) => {
    await app.ratingsRepository.flush()
    commands.length = 0
    t.equal((await rateSong(app, songId, stars, headers)).statusCode, 201)
    await app.ratingsRepository.flush()
    return commands.splice(0)
  }
  const anonymous = ['findAndModify songs', 'insert ratings', 'update songs']
  t.same(await sent(4), anonymous, 'a song\'s first rating: the song\'s counts (counted and journaled), the rating, the clear')
  t.same(await sent(2), anonymous, 'and every next one the same')
  // A bearer token costs the read of its user (authentication), whatever the route.
  t.same(await sent(5, alice.authorization), ['find users', 'find user_ratings', 'findAndModify songs', 'insert user_ratings', 'update songs'],
    'a user\'s first rating of it: the rating it replaces (none), the counts, the rating, the clear')
  t.same(await sent(3, alice.authorization), ['find users', 'find user_ratings', 'findAndModify songs', 'update user_ratings', 'update songs'],
    'a user\'s new rating of it: the same, the write conditional on the rating it replaces')
  t.same(json(await app.inject(`/songs/avg/rating/${songId}`)), expectedSummary(songId, [4, 2, 3]))
})
