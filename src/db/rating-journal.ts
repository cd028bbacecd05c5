import { setTimeout as sleep } from 'node:timers/promises'
import { ObjectId, type Filter } from 'mongodb'
import type { Collections } from './collections.ts'
import type { PendingAnonymousRating, PendingChange, PendingUserRating, SongDocument } from './documents.ts'
import { foldIntoSummary, ratingChange, type RatingChange } from './rating-summary.ts'
import { insertUnlessDuplicate } from './unique-writes.ts'
import { bounds } from './deadline.ts'
import { readBatch } from './read-batch.ts'
import { writeInBatches } from './write-batches.ts'

/**
 * A rating is counted in its song's ratings (`rating` of the song) exactly once, whatever fails in between, without a
 * transaction. The song's write is the commit point: one atomic update applies the change (`$inc`) and journals it
 * on the song (`$push` to `rating.pending`), guarded so the same rating cannot be journaled twice. Then the source of truth is written
 * (the anonymous rating inserted with the journaled `_id`, or the user's rating changed by a write conditional on
 * the rating the change was computed from), then the entry is cleared. Whoever finds an entry left behind (a
 * crashed request, its retry, the user's next write of that rating, the recovery pass) finishes it from the source
 * of truth: inserts the missing rating, or takes the change back, atomically with clearing it, when the user's
 * write did not happen. The song is there or not: no summary is created first, and a rating of a song that is
 * gone matches nothing.
 *
 * Exact where single-document updates are atomic (MongoDB, DocumentDB); FerretDB 1's are not, and
 * `npm run ratings:reconcile` stays its repair.
 */

/** How long a journaled change of a user's rating may still be waiting for its write before it counts as lost. */
export function settleAfterMs (mongodbTimeoutMs: number): number {
  // Its write carries maxTimeMS, and the client gives up on it by its deadline (twice that: src/db/deadline.ts).
  return Math.max(5000, 3 * mongodbTimeoutMs)
}

/** How many songs one recovery pass finishes entries of. */
const RECOVERY_BATCH = 100
// How long a user's write waits before looking again at an entry of theirs that is still at work.
const IN_FLIGHT_POLL_MS = 20
// A song's ratings that other writes change between two attempts: how many attempts before giving up (never seen).
const ATTEMPTS = 10

function undoOf (entry: PendingChange): RatingChange {
  return 'rating_id' in entry ? { [entry.stars]: -1 } : ratingChange(entry.to ?? undefined, entry.from ?? undefined)
}

function changeOf (entry: PendingChange): RatingChange {
  return 'rating_id' in entry ? { [entry.stars]: 1 } : ratingChange(entry.from ?? undefined, entry.to ?? undefined)
}

/** A song as the journal reads and answers it: its ratings only (none yet: no `rating`). */
export type RatedSong = Pick<SongDocument, '_id' | 'rating'>

/**
 * `atomicUpdates` false (FerretDB 1): racing updates of one song can lose a clear there and bring an entry back,
 * so a user's write does not wait for an undecided entry of theirs but takes it back at once; reconciliation
 * repairs that engine's counts in any case.
 */
export function ratingJournal ({ songs, ratings, userRatings }: Collections, { maxTimeMS, settleAfter, atomicUpdates = true }: { maxTimeMS: number, settleAfter: number, atomicUpdates?: boolean }) {
  // Cleared entries are batched per song: a busy song's clears coalesce into one write, off the request's path.
  let toClear = new Map<string, { songId: ObjectId, entries: PendingChange[] }>()
  let flushing: Promise<void> | null = null

  async function flush (): Promise<void> {
    const batch = [...toClear.values()]
    toClear = new Map()
    if (batch.length === 0) return
    await writeInBatches(songs, batch.map(({ songId, entries }) => ({ updateOne: { filter: { _id: songId }, update: { $pullAll: { 'rating.pending': entries } } } })), { timeoutMs: maxTimeMS })
  }

  /** Clears a finished entry soon, with others of its song; an entry a failed clear leaves is finished by recovery. */
  function clearLater (songId: ObjectId, entry: PendingChange): void {
    const key = songId.toHexString()
    const song = toClear.get(key) ?? { songId, entries: [] }
    song.entries.push(entry)
    toClear.set(key, song)
    scheduleFlush()
  }

  /**
   * Clears the entry of a request's own write: batched where updates are atomic; before the answer on FerretDB 1,
   * where a clear still in flight when the client's next rating of the song arrives could rewrite the song
   * without that rating's `$inc` (its updates read, change and write back the whole document). Either way the write
   * is done: an entry whose clear fails is left to recovery, and the request still succeeds.
   */
  async function clearAfterWrite (songId: ObjectId, entry: PendingChange): Promise<void> {
    if (atomicUpdates) clearLater(songId, entry)
    else await clear(songId, entry).catch(() => undefined)
  }

  // One flush at a time: what finishes while one is being written waits for the next, which takes it all at once.
  function scheduleFlush (): void {
    flushing ??= new Promise<void>(resolve => setImmediate(resolve)).then(flush).catch(() => undefined).finally(() => {
      flushing = null
      if (toClear.size > 0) scheduleFlush()
    })
  }

  /**
   * Applies `entry`'s change to the song's ratings and journals it, unless `guard` finds it there; the song's
   * ratings after, or null (no such song, or the guard refused).
   */
  async function journal (songId: ObjectId, entry: PendingChange, guard: Filter<SongDocument>): Promise<RatedSong | null> {
    const $inc = foldIntoSummary(changeOf(entry))?.$inc
    // No projection: FerretDB 1 refuses one on findAndModify (NotImplemented); the whole song comes back.
    return songs.findOneAndUpdate({ _id: songId, ...guard }, { ...($inc && { $inc }), $push: { 'rating.pending': entry } }, { returnDocument: 'after', ...bounds(maxTimeMS) })
  }

  /** Takes the entry's change back and clears it, in one atomic update that matches only while the entry is there. */
  async function undo (songId: ObjectId, entry: PendingChange): Promise<void> {
    const $inc = foldIntoSummary(undoOf(entry))?.$inc
    await songs.updateOne({ _id: songId, 'rating.pending.op': entry.op }, { ...($inc && { $inc }), $pullAll: { 'rating.pending': [entry] } }, bounds(maxTimeMS))
  }

  async function clear (songId: ObjectId, entry: PendingChange): Promise<void> {
    await songs.updateOne({ _id: songId }, { $pullAll: { 'rating.pending': [entry] } }, bounds(maxTimeMS))
  }

  /** The song's ratings as they are; null when there is no such song. */
  async function ratedSong (songId: ObjectId): Promise<RatedSong | null> {
    return songs.findOne({ _id: songId }, { projection: { rating: 1 }, ...bounds(maxTimeMS) })
  }

  /**
   * Finishes an anonymous rating's entry: the rating is stored once and counted once. Its entry is cleared now, or
   * `later` (the request's own write, whose clear is batched).
   */
  async function finishAnonymous (songId: ObjectId, entry: PendingAnonymousRating, later = false): Promise<void> {
    const inserted = await insertUnlessDuplicate(ratings, {
      _id: entry.rating_id,
      song_id: songId,
      rating: entry.stars,
      created_at: entry.at,
      // The entry that counted it, when that is not the rating's own `_id` (a retry's).
      ...(entry.op.equals(entry.rating_id) ? {} : { op: entry.op })
    }, maxTimeMS)
    if (!inserted) {
      const stored = await ratings.findOne({ _id: entry.rating_id }, { projection: { op: 1 }, ...bounds(maxTimeMS) })
      // Stored by another entry of the same rating, which counted it: this one counted it a second time.
      if (stored && !(stored.op ?? stored._id).equals(entry.op)) return undo(songId, entry)
    }
    if (later) await clearAfterWrite(songId, entry)
    else await clear(songId, entry)
  }

  /**
   * Finishes a user's entry if its write is decided: at most one entry per user and song is pending, and only its
   * write can change that rating meanwhile, so the rating shows whether the write happened, and whether it still
   * can (the rating is still the one it is conditional on). One that did not is taken back when it no longer can,
   * or when `mayUndo` (old enough that a write still on its way cannot land any more). False when undecided.
   */
  async function finishUser (songId: ObjectId, entry: PendingUserRating, mayUndo: boolean): Promise<boolean> {
    const now = await userRatings.findOne({ user_id: entry.user_id, song_id: songId }, bounds(maxTimeMS))
    const written = entry.to === null ? now === null : now?.order.equals(entry.op) === true
    if (written) {
      await clear(songId, entry)
      return true
    }
    const stillPossible = entry.from_order === null ? now === null : now?.order.equals(entry.from_order) === true
    if (stillPossible && !mayUndo) return false
    await undo(songId, entry)
    return true
  }

  const isOld = (entry: PendingChange) => entry.at.getTime() < Date.now() - settleAfter

  /** The user's write of the entry: an insert, or an update or delete conditional on the rating it replaces. */
  async function writeUserRating (songId: ObjectId, entry: PendingUserRating): Promise<boolean> {
    const rating = { user_id: entry.user_id, song_id: songId }
    if (entry.to === null) return (await userRatings.deleteOne({ ...rating, order: entry.from_order! }, bounds(maxTimeMS))).deletedCount === 1
    if (entry.from_order === null) return insertUnlessDuplicate(userRatings, { _id: entry.op, ...rating, rating: entry.to, rated_at: entry.at, order: entry.op }, maxTimeMS)
    return (await userRatings.updateOne({ ...rating, order: entry.from_order }, { $set: { rating: entry.to, rated_at: entry.at, order: entry.op } }, bounds(maxTimeMS))).matchedCount === 1
  }

  return {
    /**
     * Stores and counts an anonymous rating under `ratingId`; the song's ratings after it, or null when there is no such
     * song. `retry`: an earlier attempt with the same `ratingId` may have stored or journaled it; a stored rating
     * is counted (or being counted) already, and a journaled one is finished rather than counted again.
     */
    async rateAnonymous (songId: ObjectId, ratingId: ObjectId, stars: number, retry = false): Promise<RatedSong | null> {
      if (retry && await ratings.findOne({ _id: ratingId }, { projection: { _id: 1 }, ...bounds(maxTimeMS) })) return ratedSong(songId)
      const entry: PendingAnonymousRating = { op: retry ? new ObjectId() : ratingId, at: new Date(), rating_id: ratingId, stars }
      for (let attempt = 1; ; attempt++) {
        const rated = await journal(songId, entry, { 'rating.pending.rating_id': { $ne: ratingId } })
        if (rated) {
          await finishAnonymous(songId, entry, true)
          return rated
        }
        const found = await ratedSong(songId)
        if (!found) return null
        const earlier = found.rating?.pending?.find((e): e is PendingAnonymousRating => 'rating_id' in e && e.rating_id.equals(ratingId))
        if (earlier) {
          await finishAnonymous(songId, earlier)
          return ratedSong(songId)
        }
        if (attempt >= ATTEMPTS) throw new Error(`the ratings of ${songId.toHexString()} kept changing`)
      }
    },

    /**
     * Sets (`to` stars) or removes (`to` null) the user's rating of the song and changes the song's ratings by exactly
     * the difference; the song's ratings after, or null when there is no such song (or, for a removal, no such rating).
     */
    async rateAsUser (songId: ObjectId, userId: ObjectId, to: number | null): Promise<RatedSong | null> {
      const deadline = Date.now() + settleAfter + 10 * maxTimeMS
      for (let attempt = 1; ; attempt++) {
        const before = await userRatings.findOne({ user_id: userId, song_id: songId }, bounds(maxTimeMS))
        if (to === null && !before) return null
        const entry: PendingUserRating = { op: new ObjectId(), at: new Date(), user_id: userId, from: before?.rating ?? null, from_order: before?.order ?? null, to }
        const rated = await journal(songId, entry, { 'rating.pending.user_id': { $ne: userId } })
        if (rated) {
          if (await writeUserRating(songId, entry)) {
            await clearAfterWrite(songId, entry)
            return rated
          }
          // Another write of this rating came first: take this change back, and compute it again from that one.
          await undo(songId, entry)
        } else {
          const found = await ratedSong(songId)
          if (!found) return null
          const earlier = found.rating?.pending?.find((e): e is PendingUserRating => 'user_id' in e && e.user_id.equals(userId))
          // The user's earlier write of this rating is journaled and still at work: finish it, or wait for it.
          if (earlier && !await finishUser(songId, earlier, isOld(earlier) || !atomicUpdates)) await sleep(IN_FLIGHT_POLL_MS)
        }
        if (Date.now() > deadline && attempt >= ATTEMPTS) throw new Error(`the rating of ${songId.toHexString()} by ${userId.toHexString()} kept changing`)
      }
    },

    /**
     * Finishes the entries older than `olderThanMs` (by default the settle time, after which a user's write that has
     * not happened never will) of up to `limit` songs: at start and periodically. Returns how many it finished.
     */
    async recover ({ olderThanMs = settleAfter, limit = RECOVERY_BATCH }: { olderThanMs?: number, limit?: number } = {}): Promise<number> {
      const cutoff = new Date(Date.now() - olderThanMs)
      const left = await readBatch(songs, { 'rating.pending.at': { $lt: cutoff } }, limit, { projection: { 'rating.pending': 1 }, hint: { 'rating.pending.at': 1 }, ...bounds(maxTimeMS) })
      let finished = 0
      for (const { _id, rating } of left) {
        for (const entry of (rating?.pending ?? []).filter(e => e.at < cutoff)) {
          if ('rating_id' in entry) await finishAnonymous(_id, entry)
          else await finishUser(_id, entry, true)
          finished++
        }
      }
      return finished
    },

    /** Clears what is waiting to be cleared (at close). */
    async flush (): Promise<void> {
      await flushing
      await flush()
    }
  }
}
