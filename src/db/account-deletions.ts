import type { ObjectId } from 'mongodb'
import type { Collections } from './collections.ts'
import type { AccountDeletionDocument } from './documents.ts'
import { insertUnlessDuplicate } from './unique-writes.ts'
import { bounds } from './deadline.ts'
import { readBatch } from './read-batch.ts'

/** Ratings removed per batch: one batch is what a request does itself, and what a job does between two lease renewals. */
export const DELETION_BATCH = 100

/** How long a claim holds a job without renewal: many times what one batch takes. */
export const DELETION_LEASE_MS = 30_000

/**
 * A request that was authenticated just before the deletion may still store a rating of the user after the job
 * found none left, so the job looks once more this long after the deletion before it ends. Every database wait of
 * a request is bounded by `MONGODB_TIMEOUT_MS` (2 s by default): such a write has long ended by then.
 */
export const FINAL_SWEEP_AFTER_MS = 60_000

/** What became of a job a worker held: ended, waiting for its final sweep, paused (to resume later), or claimed by another. */
export type JobOutcome = 'done' | 'sweep-pending' | 'paused' | 'lost'

export interface WorkOptions {
  maxBatches?: number
  shouldStop?: () => boolean
}

/**
 * Account deletion as a job: `account_deletions` holds one document per account being deleted, written before the
 * user document is removed, so an account is either there or being deleted, never half-gone. The job removes the
 * user's ratings a batch at a time through the ratings repository (each taken out of its song's summary), then the
 * refresh tokens, then itself. Whoever holds its lease works on it; a lease that runs out (a crashed or stopped
 * instance) lets any instance claim it with one atomic update and carry on from what is left.
 */
export function accountDeletions (
  { users, userRatings, refreshTokens, accountDeletions: jobs }: Collections,
  ratings: { removeUserRating: (userId: ObjectId, songId: ObjectId) => Promise<boolean> },
  { maxTimeMS, batch = DELETION_BATCH, clock = Date.now }: { maxTimeMS: number, batch?: number, clock?: () => number }
) {
  const leaseFromNow = () => new Date(clock() + DELETION_LEASE_MS)

  /** Removes up to one batch of the user's ratings, each out of its song's summary: how many it found and removed. */
  async function removeBatch (userId: ObjectId): Promise<{ found: number, removed: number }> {
    const rated = await readBatch(userRatings, { user_id: userId }, batch, { projection: { _id: 0, song_id: 1 }, ...bounds(maxTimeMS) })
    let removed = 0
    // One at a time: a batch is bounded, and parallel writes only meet SQLite's lock on FerretDB.
    for (const { song_id: songId } of rated) if (await ratings.removeUserRating(userId, songId)) removed++
    return { found: rated.length, removed }
  }

  return {
    /**
     * Deletes the account: the job first, then the user document, so from here on the account cannot sign in, its
     * tokens are refused and its name is free. The job is held by `owner`; null when a deletion of it was already
     * under way (that one carries on).
     */
    async begin (userId: ObjectId, owner: string): Promise<AccountDeletionDocument | null> {
      const job: AccountDeletionDocument = { _id: userId, requested_at: new Date(clock()), lease_until: leaseFromNow(), owner, removed_ratings: 0 }
      const created = await insertUnlessDuplicate(jobs, job, maxTimeMS)
      await users.deleteOne({ _id: userId }, bounds(maxTimeMS))
      return created ? job : null
    },

    /** A job whose lease has run out, now held by `owner`; null when there is none. One atomic update: of racing claims one wins. */
    async claim (owner: string): Promise<AccountDeletionDocument | null> {
      return jobs.findOneAndUpdate(
        { lease_until: { $lte: new Date(clock()) } },
        { $set: { owner, lease_until: leaseFromNow() } },
        { sort: { lease_until: 1 }, returnDocument: 'after', ...bounds(maxTimeMS) }
      )
    },

    /** Gives a held job back at once (a stopping instance), so the next claim anywhere takes it over. */
    async release (userId: ObjectId, owner: string): Promise<void> {
      await jobs.updateOne({ _id: userId, owner }, { $set: { owner: null, lease_until: new Date(clock()) } }, bounds(maxTimeMS))
    },

    /**
     * Works on a job `owner` holds, batch after batch, renewing the lease after each, until no rating is left
     * (then the refresh tokens go and the job ends, or waits for its final sweep), `maxBatches` are done or
     * `shouldStop` says so (paused: still held, to be released or to run out), or the lease went to another.
     */
    async work (job: AccountDeletionDocument, owner: string, { maxBatches = Infinity, shouldStop = () => false }: WorkOptions = {}): Promise<JobOutcome> {
      const userId = job._id
      // A crash between writing the job and removing the user leaves the user: the job is the decision.
      await users.deleteOne({ _id: userId }, bounds(maxTimeMS))
      for (let batches = 0; batches < maxBatches && !shouldStop(); batches++) {
        const { found, removed } = await removeBatch(userId)
        if (found === batch) {
          const renewed = await jobs.updateOne({ _id: userId, owner }, { $inc: { removed_ratings: removed }, $set: { lease_until: leaseFromNow() } }, bounds(maxTimeMS))
          if (renewed.matchedCount === 0) return 'lost'
          continue
        }
        await refreshTokens.deleteMany({ user_id: userId }, bounds(maxTimeMS))
        const sweepAt = job.requested_at.getTime() + FINAL_SWEEP_AFTER_MS
        if (clock() >= sweepAt) return (await jobs.deleteOne({ _id: userId, owner }, bounds(maxTimeMS))).deletedCount === 1 ? 'done' : 'lost'
        const waiting = await jobs.updateOne({ _id: userId, owner }, { $inc: { removed_ratings: removed }, $set: { owner: null, lease_until: new Date(sweepAt) } }, bounds(maxTimeMS))
        return waiting.matchedCount === 1 ? 'sweep-pending' : 'lost'
      }
      return 'paused'
    }
  }
}

export type AccountDeletions = ReturnType<typeof accountDeletions>
