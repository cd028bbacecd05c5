import { setTimeout } from 'node:timers/promises'
import { ObjectId } from 'mongodb'
import type { Test } from 'tap'
import { songId } from '../bench/catalog.ts'
import { loadCatalog } from '../bench/load-catalog.ts'
import { foldIntoSummary, ratingChange } from '../src/db/rating-summary.ts'
import { writeInBatches } from '../src/db/write-batches.ts'
import { expectedSummary } from './expected-summary.ts'
import { json, type TestApp } from './helper.ts'

const SEED = 17

/** `count` synthetic songs more in the app's catalog, each with about one anonymous rating; their ids. */
export async function moreSongs (app: TestApp, count: number): Promise<ObjectId[]> {
  await loadCatalog(app.database.collections, { songs: count, ratings: count, seed: SEED })
  return Array.from({ length: count }, (_, i) => songId(SEED, i))
}

/**
 * The user's ratings of each song (`1 + i % 5` stars), stored as `POST /songs/rating` stores them and folded into
 * their songs' counts with the same change, written in bulk (thousands through the API take minutes on FerretDB).
 */
export async function giveRatings (app: TestApp, userId: ObjectId | string, songIds: ObjectId[]): Promise<void> {
  const user = typeof userId === 'string' ? ObjectId.createFromHexString(userId) : userId
  const start = Date.now() - songIds.length * 1000
  const given = songIds.map((song, i) => ({ _id: new ObjectId(), user_id: user, song_id: song, rating: 1 + i % 5, rated_at: new Date(start + i * 1000), order: new ObjectId() }))
  await app.database.collections.userRatings.insertMany(given)
  await writeInBatches(app.database.collections.songs, given.map(({ song_id: song, rating }) => ({
    updateOne: { filter: { _id: song }, update: foldIntoSummary(ratingChange(undefined, rating))! }
  })))
}

/** Each song's summary as the API answers it equals what its stored ratings (anonymous and by users) give. */
export async function summariesMatchStoredRatings (t: Test, app: TestApp, songIds: ObjectId[], label: string): Promise<void> {
  const { ratings, userRatings } = app.database.collections
  const stars = new Map<string, number[]>(songIds.map(id => [id.toHexString(), []]))
  for (const collection of [ratings, userRatings]) {
    for await (const { song_id: song, rating } of collection.find({ song_id: { $in: songIds } }, { projection: { song_id: 1, rating: 1 } })) {
      stars.get(song.toHexString())!.push(rating)
    }
  }
  const wrong: string[] = []
  for (const [id, given] of stars) {
    const answered = json(await app.inject(`/songs/avg/rating/${id}`))
    if (JSON.stringify(answered) !== JSON.stringify(expectedSummary(id, given))) wrong.push(`${id}: ${JSON.stringify(answered)} for ${given.length} ratings`)
  }
  t.same(wrong, [], `${label}: all ${songIds.length} summaries equal their stored ratings`)
}

/**
 * Waits until the account's deletion job has done its work: no rating of the user left and the job ended or waiting
 * for its final sweep (it sets that only after the last rating's summary change). Throws after `timeoutMs`.
 */
export async function deletionWorkDone (app: TestApp, userId: ObjectId | string, timeoutMs = 300_000): Promise<void> {
  const user = typeof userId === 'string' ? ObjectId.createFromHexString(userId) : userId
  const { accountDeletions, userRatings } = app.database.collections
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await setTimeout(200)) {
    const job = await accountDeletions.findOne({ _id: user })
    if ((!job || job.owner === null) && await userRatings.countDocuments({ user_id: user }) === 0) return
  }
  throw new Error(`the deletion of ${user.toHexString()} did not finish within ${timeoutMs} ms`)
}
