import { MongoBulkWriteError, type AnyBulkWriteOperation } from 'mongodb'
import { searchPrefixes } from '../lib/search-words.ts'
import { DUPLICATE_KEY, type Collections, type LevelStatsDocument, type SongDocument } from './collections.ts'
import type { NewSong } from './song-file.ts'

/**
 * Inserts the songs that are not in the catalog yet (by artist and title) and adds exactly those to the
 * per-level difficulty stats. Safe to run twice or from several processes at once: a song another
 * writer inserted first is a duplicate-key miss here, and only this call's own inserts are counted.
 * Returns how many songs it inserted.
 */
export async function importSongs ({ songs, levelStats }: Collections, newSongs: NewSong[]): Promise<number> {
  if (newSongs.length === 0) return 0
  const operations: AnyBulkWriteOperation<SongDocument>[] = newSongs.map(song => ({
    updateOne: {
      filter: { artist: song.artist, title: song.title },
      update: { $setOnInsert: { ...song, search_prefixes: searchPrefixes(song.artist, song.title) } },
      upsert: true
    }
  }))
  let inserted: number[]
  try {
    inserted = Object.keys((await songs.bulkWrite(operations, { ordered: false })).upsertedIds).map(Number)
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError) || [error.writeErrors].flat().some(e => e.code !== DUPLICATE_KEY)) throw error
    inserted = Object.keys(error.result.upsertedIds).map(Number)
  }

  const perLevel = new Map<number, { count: number, sum: number }>()
  for (const index of inserted) {
    const { level, difficulty } = newSongs[index]!
    const stats = perLevel.get(level) ?? { count: 0, sum: 0 }
    perLevel.set(level, { count: stats.count + 1, sum: stats.sum + difficulty })
  }
  if (perLevel.size > 0) {
    const statsOperations: AnyBulkWriteOperation<LevelStatsDocument>[] = [...perLevel].map(([level, { count, sum }]) => ({
      updateOne: { filter: { _id: level }, update: { $inc: { count, sum } }, upsert: true }
    }))
    await levelStats.bulkWrite(statsOperations, { ordered: false })
  }
  return inserted.length
}
