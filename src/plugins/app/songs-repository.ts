import fp from 'fastify-plugin'
import { MongoServerError, ObjectId, type Filter } from 'mongodb'
import type { Static } from 'typebox'
import { DUPLICATE_KEY, foldIntoSummary, type Collections, type RatingSummaryDocument, type SongDocument } from '../../db/collections.ts'
import type { RatingSummary } from '../../schemas/ratings.ts'
import type { DifficultyAverage, Song, SongPage } from '../../schemas/songs.ts'
import { encodeCursor } from '../../lib/cursor.ts'

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

function toSummary (songId: ObjectId, stats: RatingSummaryDocument | null): Static<typeof RatingSummary> {
  if (!stats || stats.count === 0) return { song_id: songId.toHexString(), average: null, lowest: null, highest: null, count: 0 }
  return { song_id: songId.toHexString(), average: stats.sum / stats.count, lowest: stats.min, highest: stats.max, count: stats.count }
}

/** Every MongoDB query the routes make; each is an index range scan or a point read by `_id`. */
export function songsRepository ({ songs, ratings, ratingSummaries, levelStats }: Collections) {
  // Pages follow `_id` order through an `_id` range, never skip: a deep page costs what the first costs.
  async function page (filter: Filter<SongDocument>, limit: number, after: ObjectId | undefined): Promise<Static<typeof SongPage>> {
    const docs = await songs
      .find(after ? { ...filter, _id: { $gt: after } } : filter, { projection: SONG_FIELDS })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .toArray()
    return {
      items: docs.slice(0, limit).map(toSong),
      next_cursor: docs.length > limit ? encodeCursor(docs[limit - 1]!._id) : null
    }
  }

  async function exists (songId: ObjectId): Promise<boolean> {
    return await songs.findOne({ _id: songId }, { projection: { _id: 1 } }) !== null
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
      const stats = await levelStats.find(level === undefined ? {} : { _id: level }).toArray()
      const count = stats.reduce((total, s) => total + s.count, 0)
      const sum = stats.reduce((total, s) => total + s.sum, 0)
      return { average_difficulty: count === 0 ? null : sum / count, songs: count, level: level ?? null }
    },

    /** One read by `_id`; a second one, to tell "no ratings yet" from "no such song", only when it finds nothing. */
    async ratingSummary (songId: ObjectId) {
      const summary = await ratingSummaries.findOne({ _id: songId })
      if (summary || await exists(songId)) return toSummary(songId, summary)
      return null
    },

    /**
     * Stores the rating, then folds it into the song's summary with one atomic update.
     * Returns null when the song does not exist.
     */
    async rate (songId: ObjectId, rating: number) {
      if (!await exists(songId)) return null
      await ratings.insertOne({ _id: new ObjectId(), song_id: songId, rating, created_at: new Date() })
      // `$min`/`$max` on a missing field take the value, so the first rating creates the summary as it is.
      const foldIn = () => ratingSummaries.findOneAndUpdate(
        { _id: songId },
        foldIntoSummary({ count: 1, sum: rating, min: rating, max: rating }),
        { upsert: true, returnDocument: 'after' }
      )
      // Two first ratings at once can both try to insert the summary; the loser finds it there and updates it.
      // MongoDB retries such an upsert itself; other MongoDB-wire servers (FerretDB) report the duplicate key.
      const summary = await foldIn().catch(error => {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return foldIn()
        throw error
      })
      return toSummary(songId, summary)
    }
  }
}

export default fp(async function songsRepositoryPlugin (fastify) {
  fastify.decorate('songsRepository', songsRepository(fastify.collections))
}, { name: 'songs-repository', dependencies: ['database'] })
