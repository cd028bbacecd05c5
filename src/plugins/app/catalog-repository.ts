import fp from 'fastify-plugin'
import { ObjectId } from 'mongodb'
import type { Static } from 'typebox'
import type { Collections } from '../../db/collections.ts'
import type { SongDocument } from '../../db/documents.ts'
import { isDuplicateKey } from '../../db/engine-errors.ts'
import { applyLevelStatsChange, levelStatsChange } from '../../db/level-stats.ts'
import { addTermIds, addTerms, removeTermIds, removeTerms, searchSongs, termIdsOf } from '../../db/search-terms.ts'
import { searchPrefixesOf, songDocument } from '../../db/song-document.ts'
import type { NewSong } from '../../db/song-file.ts'
import { encodeCursor } from '../../lib/cursor.ts'
import type { DifficultyAverage, Song, SongListItem, SongPage } from '../../schemas/songs.ts'
import { pageRating, type RatingsRepository } from './ratings-repository.ts'
import { songExists } from '../../lib/problems/catalog.ts'
import { bounds, deadline } from '../../db/deadline.ts'
import { songListPage } from '../../db/song-list.ts'
import { encodeSongListCursor, type SongListOrder, type SongListPosition } from '../../lib/song-list-cursor.ts'

export type CatalogRepository = ReturnType<typeof catalogRepository>

declare module 'fastify' {
  interface FastifyInstance {
    catalogRepository: CatalogRepository
  }
}

// Derived fields stay in the database.
export const SONG_FIELDS = { artist: 1, title: 1, difficulty: 1, level: 1, released: 1 } as const

/** A song of a list or search page: its fields and its ratings' count and sum, read with it. */
const LISTED_FIELDS = { ...SONG_FIELDS, 'rating.count': 1, 'rating.sum': 1 } as const

/** What a song's terms derive from (src/db/search-terms.ts). */
const TERM_FIELDS = { search_prefixes: 1, level: 1, difficulty: 1 } as const

type StoredSong = Omit<SongDocument, 'search_prefixes'>

export function toSong (doc: StoredSong): Static<typeof Song> {
  return { id: doc._id.toHexString(), artist: doc.artist, title: doc.title, difficulty: doc.difficulty, level: doc.level, released: doc.released }
}

/** The unique artist/title index refused the write: a song named so (the write's new name) exists already. */
function orSongExists (named: Pick<NewSong, 'artist' | 'title'> | null) {
  return (error: unknown): never => {
    throw isDuplicateKey(error) && named ? songExists(named.artist, named.title) : error
  }
}

/**
 * Songs and the per-level difficulty stats derived from them. Reads are index range scans or point reads by
 * `_id` and carry `maxTimeMS`; every write changes the level stats by deltas computed from the document an
 * atomic write returned, so concurrent writes keep them exact on MongoDB.
 */
export function catalogRepository ({ songs, searchTerms, levelStats }: Collections, ratings: Pick<RatingsRepository, 'removeSong' | 'starsOf'>, { maxTimeMS }: { maxTimeMS: number }) {
  /**
   * The songs of a page with their ratings, read with them, and with `viewer` the viewer's own stars: one more read
   * for the whole page.
   */
  async function withRatings (docs: StoredSong[], viewer: ObjectId | undefined): Promise<Static<typeof SongListItem>[]> {
    const mine = viewer && await ratings.starsOf(viewer, docs.map(doc => doc._id))
    return docs.map(doc => ({ ...toSong(doc), rating: pageRating(doc.rating), ...(mine && { my_rating: mine.get(doc._id.toHexString()) ?? null }) }))
  }

  /**
   * Ends a change of a song's terms: removes those it may have lost (`dropped`, term `_id`s), then adds the terms of
   * the song as it is now. A concurrent change may have removed some of those after this one's song changed;
   * whichever of them removes last reads the song after that and puts its terms back, so terms always cover it.
   */
  async function settleTerms (songId: ObjectId, dropped: string[]): Promise<void> {
    await removeTermIds(searchTerms, dropped, maxTimeMS)
    const current = await songs.findOne({ _id: songId }, { projection: TERM_FIELDS, ...bounds(maxTimeMS) })
    if (current) await addTerms(searchTerms, [current], maxTimeMS)
  }

  async function changeLevelStats (before: StoredSong | undefined, after: StoredSong | undefined): Promise<void> {
    await applyLevelStatsChange(levelStats, levelStatsChange(before, after), maxTimeMS)
  }

  return {
    // The `_id` index is the right plan for a list page on every engine; a planner without statistics may
    // otherwise pick another index plus a sort of half the collection (seen on a PostgreSQL-based engine).
    /**
     * A page of songs in `order` (all or one level's, by `_id` or easiest first) after `after`, with their ratings
     * (and `viewer`'s own). Each order is a range of its own index walked from the cursor, never `skip`: a deep page
     * costs what the first costs (src/db/song-list.ts).
     */
    async list (limit: number, order: SongListOrder, after?: SongListPosition, viewer?: ObjectId): Promise<Static<typeof SongPage>> {
      const docs = await songListPage({ songs, searchTerms }, order, limit + 1, after, { projection: LISTED_FIELDS, maxTimeMS })
      const last = docs.length > limit ? docs[limit - 1]! : undefined
      return {
        items: await withRatings(docs.slice(0, limit), viewer),
        next_cursor: last ? encodeSongListCursor(order, { id: last._id, difficulty: last.difficulty }) : null
      }
    },

    /**
     * `words` are normalized search words; each must be a prefix of a word of the song. Read through the search
     * terms (src/db/search-terms.ts): `_id` ranges and `_id` lists with limits, bounded on every engine whatever
     * the catalog's size. A page of several words that are common but rarely together may hold fewer than `limit`
     * songs, with a `next_cursor` to go on.
     */
    async search (words: string[], limit: number, after?: ObjectId, { level, viewer }: { level?: number, viewer?: ObjectId } = {}): Promise<Static<typeof SongPage>> {
      const { found, next } = await searchSongs({ songs, searchTerms }, words, limit, after, { projection: LISTED_FIELDS, maxTimeMS, level })
      return { items: await withRatings(found, viewer), next_cursor: next && encodeCursor(next) }
    },

    async get (songId: ObjectId): Promise<Static<typeof Song> | null> {
      const doc = await songs.findOne({ _id: songId }, { projection: SONG_FIELDS, ...bounds(maxTimeMS) })
      return doc && toSong(doc)
    },

    async averageDifficulty (level?: number): Promise<Static<typeof DifficultyAverage>> {
      // At most one document per level (MAX_LEVEL): the whole catalog's average reads them all, unbounded by a limit.
      const stats = level === undefined ? await levelStats.find({}, bounds(maxTimeMS)).toArray() : [await levelStats.findOne({ _id: level }, bounds(maxTimeMS))].filter(s => s !== null)
      const count = stats.reduce((total, s) => total + s.count, 0)
      const sum = stats.reduce((total, s) => total + s.sum, 0)
      return { average_difficulty: count === 0 ? null : sum / count, songs: count, level: level ?? null }
    },

    /** Adds a song; a song with the same artist and title is a 409 `SONG_EXISTS`. */
    async create (song: NewSong): Promise<Static<typeof Song>> {
      // Its terms first: a crash in between leaves terms of no song, which searches skip.
      const document = { _id: new ObjectId(), ...songDocument(song) }
      await addTerms(searchTerms, [document], maxTimeMS)
      await songs.insertOne(document, deadline(maxTimeMS)).catch(async (error: unknown) => {
        await removeTerms(searchTerms, [document], maxTimeMS)
        return orSongExists(song)(error)
      })
      const created = { _id: document._id, ...song }
      await changeLevelStats(undefined, created)
      return toSong(created)
    },

    /**
     * Changes some fields of a song; null when there is no such song. A new artist, title, level or difficulty
     * changes the song's terms (search prefixes derive from the name, order keys from the level and difficulty):
     * the update applies only while the fields it was computed from are still the song's, and is computed again
     * otherwise. New terms are added before the song changes and those it lost removed after (settleTerms), so a
     * crash leaves only extra terms.
     */
    async update (songId: ObjectId, patch: Partial<NewSong>): Promise<Static<typeof Song> | null> {
      const renamed = patch.artist !== undefined || patch.title !== undefined
      const rekeyed = renamed || patch.level !== undefined || patch.difficulty !== undefined
      while (true) {
        const seen = rekeyed ? await songs.findOne({ _id: songId }, { projection: { artist: 1, title: 1, ...TERM_FIELDS }, ...bounds(maxTimeMS) }) : null
        if (rekeyed && !seen) return null
        const named = seen && { artist: patch.artist ?? seen.artist, title: patch.title ?? seen.title }
        const prefixes = named && renamed ? searchPrefixesOf(named) : undefined
        const had = seen ? termIdsOf(seen) : []
        const has = seen ? termIdsOf({ ...seen, ...patch, search_prefixes: prefixes ?? seen.search_prefixes }) : []
        const added = has.filter(id => !had.includes(id))
        await addTermIds(searchTerms, added, maxTimeMS)
        const filter = seen ? { _id: songId, artist: seen.artist, title: seen.title, level: seen.level, difficulty: seen.difficulty } : { _id: songId }
        const $set = prefixes ? { ...patch, search_prefixes: prefixes } : patch
        // No projection on findAndModify: FerretDB 1 does not implement one there (the whole song comes back).
        const before = await songs.findOneAndUpdate(filter, { $set }, { returnDocument: 'before', ...bounds(maxTimeMS) })
          .catch(async (error: unknown) => {
            await settleTerms(songId, added)
            return orSongExists(named)(error)
          })
        // Changed by another write since it was read: compute the terms again from what it has now.
        if (!before && rekeyed) {
          await settleTerms(songId, added)
          continue
        }
        if (!before) return null
        if (seen) await settleTerms(songId, had.filter(id => !has.includes(id)))
        const after = { ...before, ...patch }
        await changeLevelStats(before, after)
        return toSong(after)
      }
    },

    /**
     * Deletes a song: first the song, so it is gone from every read at once, then what derives from it (search
     * terms, level stats, ratings). A crash in between leaves what `npm run ratings:reconcile` repairs
     * (terms of a song that is gone are skipped by searches). False when there is no such song.
     */
    async remove (songId: ObjectId): Promise<boolean> {
      const removed = await songs.findOneAndDelete({ _id: songId }, bounds(maxTimeMS))
      if (!removed) return false
      await removeTerms(searchTerms, [removed], maxTimeMS)
      await changeLevelStats(removed, undefined)
      await ratings.removeSong(songId)
      return true
    }
  }
}

export default fp(async function catalogRepositoryPlugin (fastify) {
  fastify.decorate('catalogRepository', catalogRepository(fastify.collections, fastify.ratingsRepository, { maxTimeMS: fastify.config.mongodbTimeoutMs }))
}, { name: 'catalog-repository', dependencies: ['database', 'ratings-repository'] })
