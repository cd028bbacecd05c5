import fp from 'fastify-plugin'
import { ObjectId, type Filter } from 'mongodb'
import type { Static } from 'typebox'
import { foldIntoSummary, isDuplicateKey, type Collections, type RatingSummaryDocument, type SongDocument } from '../../db/collections.ts'
import type { RatingSummary } from '../../schemas/ratings.ts'
import type { DifficultyAverage, Song, SongPage } from '../../schemas/songs.ts'
import { encodeCursor } from '../../lib/cursor.ts'
import { awaitResponse, claimKey, CRASHED_AFTER_MS, fingerprint, idempotencyKeyBusy, recordResponse } from '../../db/idempotency-keys.ts'

export type SongsRepository = ReturnType<typeof songsRepository>

declare module 'fastify' {
  interface FastifyInstance {
    songsRepository: SongsRepository
  }
}

// Derived fields stay in the database.
const SONG_FIELDS = { artist: 1, title: 1, difficulty: 1, level: 1, released: 1 } as const

function toSong (doc: Omit<SongDocument, 'search_prefixes'>): Static<typeof Song> {
  return { id: doc._id.toHexString(), artist: doc.artist, title: doc.title, difficulty: doc.difficulty, level: doc.level, released: doc.released }
}

type Summary = Static<typeof RatingSummary>

function toSummary (songId: ObjectId, stats: RatingSummaryDocument | null): Summary {
  if (!stats || stats.count === 0) return { song_id: songId.toHexString(), average: null, lowest: null, highest: null, count: 0 }
  return { song_id: songId.toHexString(), average: stats.sum / stats.count, lowest: stats.min, highest: stats.max, count: stats.count }
}

/**
 * Every MongoDB query the routes make; each is an index range scan or a point read by `_id`. Reads and the summary
 * update carry `maxTimeMS`, so the server gives up on work whose answer nobody waits for any more.
 */
export function songsRepository ({ songs, ratings, ratingSummaries, levelStats, idempotencyKeys }: Collections, { maxTimeMS, idempotencyTtlMs }: { maxTimeMS: number, idempotencyTtlMs: number }) {
  // Pages follow `_id` order through an `_id` range, never skip: a deep page costs what the first costs.
  async function page (filter: Filter<SongDocument>, limit: number, after: ObjectId | undefined): Promise<Static<typeof SongPage>> {
    const docs = await songs
      .find(after ? { ...filter, _id: { $gt: after } } : filter, { projection: SONG_FIELDS, maxTimeMS })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .toArray()
    return {
      items: docs.slice(0, limit).map(toSong),
      next_cursor: docs.length > limit ? encodeCursor(docs[limit - 1]!._id) : null
    }
  }

  async function exists (songId: ObjectId): Promise<boolean> {
    return await songs.findOne({ _id: songId }, { projection: { _id: 1 }, maxTimeMS }) !== null
  }

  /**
   * Stores the rating, then folds it into the song's summary with one atomic update; null, folding nothing,
   * when a rating with this `_id` is already stored.
   */
  async function store (ratingId: ObjectId, songId: ObjectId, rating: number): Promise<Summary | null> {
    try {
      await ratings.insertOne({ _id: ratingId, song_id: songId, rating, created_at: new Date() })
    } catch (error) {
      if (isDuplicateKey(error)) return null
      throw error
    }
    // `$min`/`$max` on a missing field take the value, so the first rating creates the summary as it is.
    const foldIn = () => ratingSummaries.findOneAndUpdate(
      { _id: songId },
      foldIntoSummary({ count: 1, sum: rating, min: rating, max: rating }),
      { upsert: true, returnDocument: 'after', maxTimeMS }
    )
    // Two first ratings at once can both try to insert the summary; the loser finds it there and updates it.
    // MongoDB retries such an upsert itself; other MongoDB-wire servers (FerretDB) report the duplicate key.
    const summary = await foldIn().catch(error => {
      if (isDuplicateKey(error)) return foldIn()
      throw error
    })
    return toSummary(songId, summary)
  }

  return {
    list: (limit: number, after?: ObjectId) => page({}, limit, after),

    /** `words` are normalized search words; each must be a prefix of a word of the song. */
    search (words: string[], limit: number, after?: ObjectId) {
      // Longest first: the planner bounds the index scan by the first `$all` value, usually the rarest.
      const prefixes = [...words].sort((a, b) => b.length - a.length)
      return page({ search_prefixes: { $all: prefixes } }, limit, after)
    },

    async averageDifficulty (level?: number): Promise<Static<typeof DifficultyAverage>> {
      const stats = await levelStats.find(level === undefined ? {} : { _id: level }, { maxTimeMS }).toArray()
      const count = stats.reduce((total, s) => total + s.count, 0)
      const sum = stats.reduce((total, s) => total + s.sum, 0)
      return { average_difficulty: count === 0 ? null : sum / count, songs: count, level: level ?? null }
    },

    /** One read by `_id`; a second one, to tell "no ratings yet" from "no such song", only when it finds nothing. */
    async ratingSummary (songId: ObjectId) {
      const summary = await ratingSummaries.findOne({ _id: songId }, { maxTimeMS })
      if (summary || await exists(songId)) return toSummary(songId, summary)
      return null
    },

    /**
     * Stores the rating and answers the song's summary including it; null when the song does not exist.
     * With an idempotency key, a retry (even one racing the first request) stores nothing more and gets the
     * first answer: the key's claim fixes the rating's `_id`, so the ratings collection cannot hold it twice.
     */
    async rate (songId: ObjectId, rating: number, idempotencyKey?: string): Promise<Summary | null> {
      if (!await exists(songId)) return null
      if (idempotencyKey === undefined) return (await store(new ObjectId(), songId, rating))!
      const claim = await claimKey(idempotencyKeys, idempotencyKey, fingerprint(songId.toHexString(), rating), idempotencyTtlMs)
      if (claim.response !== undefined) return claim.response as Summary
      const summary = await store(claim.rating_id, songId, rating)
      if (summary) {
        await recordResponse(idempotencyKeys, idempotencyKey, summary)
        return summary
      }
      // Another request with this key stored the rating: answer what it answered. Still none after the wait: if it is
      // young, that request is slow and this retry is told to come back; if old, it crashed, and the summary now is
      // recorded as the answer.
      const answered = await awaitResponse(idempotencyKeys, idempotencyKey) as Summary | undefined
      if (answered) return answered
      if (Date.now() - claim.created_at.getTime() < CRASHED_AFTER_MS) throw idempotencyKeyBusy()
      await recordResponse(idempotencyKeys, idempotencyKey, toSummary(songId, await ratingSummaries.findOne({ _id: songId }, { maxTimeMS })))
      return await awaitResponse(idempotencyKeys, idempotencyKey) as Summary
    }
  }
}

export default fp(async function songsRepositoryPlugin (fastify) {
  fastify.decorate('songsRepository', songsRepository(fastify.collections, { maxTimeMS: fastify.config.mongodbTimeoutMs, idempotencyTtlMs: fastify.config.idempotencyTtlSeconds * 1000 }))
}, { name: 'songs-repository', dependencies: ['database'] })
