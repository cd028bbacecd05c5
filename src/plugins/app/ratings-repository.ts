import fp from 'fastify-plugin'
import { ObjectId } from 'mongodb'
import type { Static } from 'typebox'
import type { Collections } from '../../db/collections.ts'
import type { SongRatings, UserRatingDocument } from '../../db/documents.ts'
import { awaitResponse, claimKey, fingerprint, recordResponse, releaseClaim, takeOverClaim } from '../../db/idempotency-keys.ts'
import { engineOf } from '../../db/engine.ts'
import { ratingJournal, settleAfterMs, type RatedSong } from '../../db/rating-journal.ts'
import { STARS } from '../../lib/stars.ts'
import { encodeCursor } from '../../lib/cursor.ts'
import type { RatingSummary, UserRating, UserRatingPage } from '../../schemas/ratings.ts'
import { idempotencyKeyBusy } from '../../lib/problems/idempotency.ts'
import { bounds } from '../../db/deadline.ts'
import { readBatch } from '../../db/read-batch.ts'

export type RatingsRepository = ReturnType<typeof ratingsRepository>

declare module 'fastify' {
  interface FastifyInstance {
    ratingsRepository: RatingsRepository
  }
}

type Summary = Static<typeof RatingSummary>

/** What a list or search page shows of a song's ratings: its average and count (as its summary answers them). */
export interface PageRating { average: number | null, count: number }

/** Who rates: a signed-in user's id, or nobody (an anonymous rating). */
export interface Rater {
  userId?: ObjectId
  idempotencyKey?: string
}

/**
 * The answer for a summary. A write racing others may read the document between two of their changes (an entry
 * at -1 until the rating it replaced is counted): the answer then shows what is counted so far, never below zero.
 */
function toSummary ({ _id: songId, rating }: RatedSong): Summary {
  const distribution = Object.fromEntries(STARS.map(stars => [`${stars}`, Math.max(0, rating?.distribution?.[`${stars}`] ?? 0)]))
  const given = STARS.filter(stars => distribution[`${stars}`]! > 0)
  const { average, count } = pageRating(rating)
  return { song_id: songId.toHexString(), average, lowest: count === 0 ? null : given[0] ?? null, highest: count === 0 ? null : given.at(-1) ?? null, count, distribution }
}

/** A song's average and count from its ratings' count and sum: what its summary answers, for a page of songs. */
export function pageRating (rating: Pick<SongRatings, 'count' | 'sum'> | undefined): PageRating {
  const count = rating?.count ?? 0
  return count > 0 ? { average: rating!.sum / count, count } : { average: null, count: 0 }
}

export function toUserRating (doc: Pick<UserRatingDocument, 'song_id' | 'rating' | 'rated_at'>): Static<typeof UserRating> {
  return { song_id: doc.song_id.toHexString(), rating: doc.rating, rated_at: doc.rated_at.toISOString() }
}

const USER_RATING_FIELDS = { _id: 0, song_id: 1, rating: 1, rated_at: 1, order: 1 } as const

/**
 * An `Idempotency-Key` belongs to its caller: a user's keys are prefixed with the user's id and a space, which
 * no key can contain, so two users' (or a user's and an anonymous caller's) equal keys are different keys.
 */
function scopedKey (key: string, userId: ObjectId | undefined): string {
  return userId ? `${userId.toHexString()} ${key}` : key
}

/**
 * Ratings, anonymous and by users, and the counts derived from them on each song. Every count write is one
 * atomic `$inc` of a change computed from the rating it replaces, journaled on the song until the rating is
 * stored (src/db/rating-journal.ts), so each rating is counted exactly once whatever fails in between.
 */
export function ratingsRepository (collections: Collections, { maxTimeMS, idempotencyTtlMs, atomicUpdates }: { maxTimeMS: number, idempotencyTtlMs: number, atomicUpdates?: boolean }) {
  const { songs, ratings, userRatings, idempotencyKeys } = collections
  // A claim of an idempotency key unanswered this long counts as abandoned, as a journaled change does: every
  // command of the request carries maxTimeMS, and the client gives up on each by its deadline (twice that).
  const settleAfter = settleAfterMs(maxTimeMS)
  const keyStore = { keys: idempotencyKeys, timeoutMs: maxTimeMS }
  const journal = ratingJournal(collections, { maxTimeMS, settleAfter, atomicUpdates })

  /**
   * Stores the rating, as the user's (replacing theirs) or anonymous under `ratingId`, and answers the summary
   * including it; null when the song does not exist. `retry`: an earlier attempt with `ratingId` may have done part of it.
   */
  async function store (songId: ObjectId, rating: number, userId: ObjectId | undefined, ratingId: ObjectId, retry: boolean): Promise<Summary | null> {
    const rated = userId ? await journal.rateAsUser(songId, userId, rating) : await journal.rateAnonymous(songId, ratingId, rating, retry)
    return rated && toSummary(rated)
  }

  return {
    /** One read of the song by `_id`, of its ratings only; null when there is no such song. */
    async summary (songId: ObjectId): Promise<Summary | null> {
      const rated = await songs.findOne({ _id: songId }, { projection: { 'rating.count': 1, 'rating.sum': 1, 'rating.distribution': 1 }, ...bounds(maxTimeMS) })
      return rated && toSummary(rated)
    },

    /**
     * Stores the rating (as the user's, replacing theirs, or anonymous) and answers the song's summary including
     * it; null when the song does not exist. With an idempotency key, a retry (even one racing the first request)
     * changes nothing more and gets the first answer: of racing requests only the one whose insert claimed the key
     * writes, and an anonymous rating's `_id` is fixed by the claim, so the ratings collection cannot hold it twice.
     */
    async rate (songId: ObjectId, rating: number, { userId, idempotencyKey }: Rater = {}): Promise<Summary | null> {
      if (idempotencyKey === undefined) return store(songId, rating, userId, new ObjectId(), false)
      const key = scopedKey(idempotencyKey, userId)
      let claim = await claimKey(keyStore, key, fingerprint(songId.toHexString(), rating), idempotencyTtlMs)
      if (claim.response !== undefined) return claim.response as Summary
      // A retry while the request that claimed the key is at work waits for its answer rather than redoing its write.
      // Still none after the wait: if that request gave its claim up, or the claim is old enough to count as
      // abandoned, this retry takes it over and finishes its work (the anonymous rating keeps the claim's `_id`:
      // stored once, counted once); if it is young and still at work, this retry is told to come back.
      if (!claim.claimed) {
        const answered = await awaitResponse(keyStore, key, settleAfter) as Summary | undefined
        if (answered) return answered
        const taken = await takeOverClaim(keyStore, key, settleAfter)
        if (!taken) throw idempotencyKeyBusy()
        claim = taken
      }
      try {
        const summary = await store(songId, rating, userId, claim.rating_id, claim.taken === true)
        if (!summary) {
          await releaseClaim(keyStore, key, claim.created_at)
          return null
        }
        if (await recordResponse(keyStore, key, summary)) return summary
        // Another retry answered first: its answer is the answer.
        return await awaitResponse(keyStore, key, settleAfter) as Summary
      } catch (error) {
        await releaseClaim(keyStore, key, claim.created_at)
        throw error
      }
    },

    /**
     * The user's ratings, newest first, a page at a time: the user's range of the `{user_id, order}` index,
     * walked from the cursor's `order` down. A rating the user changes moves to the front, as the newest.
     */
    async ofUser (userId: ObjectId, limit: number, before?: ObjectId): Promise<Static<typeof UserRatingPage>> {
      const docs = await readBatch(userRatings, before ? { user_id: userId, order: { $lt: before } } : { user_id: userId }, limit + 1, { projection: USER_RATING_FIELDS, sort: { order: -1 }, ...bounds(maxTimeMS) })
      return {
        items: docs.slice(0, limit).map(toUserRating),
        next_cursor: docs.length > limit ? encodeCursor(docs[limit - 1]!.order) : null
      }
    },

    async userRating (userId: ObjectId, songId: ObjectId): Promise<Static<typeof UserRating> | null> {
      const doc = await userRatings.findOne({ user_id: userId, song_id: songId }, { projection: USER_RATING_FIELDS, ...bounds(maxTimeMS) })
      return doc && toUserRating(doc)
    },

    /** Removes the user's rating of the song and takes exactly it out of the summary; false when there is none. */
    async removeUserRating (userId: ObjectId, songId: ObjectId): Promise<boolean> {
      return await journal.rateAsUser(songId, userId, null) !== null
    },

    /** Finishes the journaled changes that requests left behind (see src/db/rating-journal.ts). */
    recover: journal.recover,

    /** Clears what finished requests left to clear; at close. */
    flush: journal.flush,

    /**
     * The user's stars for each of a page's songs (by song id in hex; a song the user has not rated is absent): one
     * read bounded by the page's length, in the user's range of the `{user_id, song_id}` index.
     */
    async starsOf (userId: ObjectId, songIds: ObjectId[]): Promise<Map<string, number>> {
      const mine = await readBatch(userRatings, { user_id: userId, song_id: { $in: songIds } }, songIds.length, { projection: { _id: 0, song_id: 1, rating: 1 }, hint: { user_id: 1, song_id: 1 }, ...bounds(maxTimeMS) })
      return new Map(mine.map(rating => [rating.song_id.toHexString(), rating.rating]))
    },

    /** Every rating of a deleted song (its counts went with it). */
    async removeSong (songId: ObjectId): Promise<void> {
      await Promise.all([ratings.deleteMany({ song_id: songId }), userRatings.deleteMany({ song_id: songId })])
    }
  }
}

export default fp(async function ratingsRepositoryPlugin (fastify) {
  const { atomicUpdates } = await engineOf(fastify.mongo.client.db(fastify.config.databaseName))
  const repository = ratingsRepository(fastify.collections, { maxTimeMS: fastify.config.mongodbTimeoutMs, idempotencyTtlMs: fastify.config.idempotencyTtlSeconds * 1000, atomicUpdates })
  fastify.decorate('ratingsRepository', repository)
  // What crashed requests left is finished at start and then as often as it can be due, a bounded batch at a time.
  await repository.recover()
  const recovery = setInterval(() => {
    repository.recover().catch((err: unknown) => fastify.log.warn({ err }, 'finishing journaled rating changes failed'))
  }, settleAfterMs(fastify.config.mongodbTimeoutMs)).unref()
  fastify.addHook('onClose', async () => {
    clearInterval(recovery)
    await repository.flush().catch(() => undefined)
  })
}, { name: 'ratings-repository', dependencies: ['database'] })
