import type { Collections } from '../src/db/collections.ts'
import { ensureIndexes } from '../src/db/indexes.ts'
import { insertSongs } from '../src/db/import-songs.ts'
import { insertRatings } from '../src/db/insert-ratings.ts'
import { buildSearchTerms } from '../src/db/search-terms.ts'
import { generateRatings, generateSongs } from './catalog.ts'

export interface LoadOptions {
  songs: number
  ratings: number
  seed: number
  batchSize?: number
  /** Called after every batch with how many documents of that phase are written (inserted or found already there). */
  onProgress?: (phase: 'songs' | 'ratings', done: number) => void
}

/**
 * Writes a synthetic catalog through the project's own write code: songs with their search prefixes, search
 * terms and level stats, then ratings folded into their songs' counts. Deterministic ids make a rerun skip what is there,
 * so an interrupted load resumes. Returns how many documents it inserted.
 */
export async function loadCatalog (collections: Collections, { songs, ratings, seed, batchSize = 2000, onProgress }: LoadOptions) {
  await ensureIndexes(collections)
  // Songs already there get their search terms first (none on a new database, which is then marked as having them).
  await buildSearchTerms(collections)
  const inserted = { songs: 0, ratings: 0 }
  inserted.songs = await inBatches(generateSongs(seed, songs), batchSize, batch => insertSongs(collections, batch), done => onProgress?.('songs', done))
  inserted.ratings = await inBatches(generateRatings(seed, songs, ratings), batchSize, batch => insertRatings(collections, batch), done => onProgress?.('ratings', done))
  return inserted
}

async function inBatches<T> (items: Iterable<T>, size: number, write: (batch: T[]) => Promise<number>, progress: (done: number) => void): Promise<number> {
  let batch: T[] = []
  let done = 0
  let inserted = 0
  const flush = async () => {
    inserted += await write(batch)
    done += batch.length
    batch = []
    progress(done)
  }
  for (const item of items) {
    batch.push(item)
    if (batch.length === size) await flush()
  }
  if (batch.length > 0) await flush()
  return inserted
}
