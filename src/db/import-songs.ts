import type { AnyBulkWriteOperation, ObjectId } from 'mongodb'
import { duplicatesOnly, insertSkippingDuplicates, type Collections, type SongDocument } from './collections.ts'
import { applyLevelStatsChange } from './level-stats.ts'
import { songDocument } from './song-document.ts'
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
      update: { $setOnInsert: songDocument(song) },
      upsert: true
    }
  }))
  let inserted: number[]
  try {
    inserted = Object.keys((await songs.bulkWrite(operations, { ordered: false })).upsertedIds).map(Number)
  } catch (error) {
    inserted = Object.keys(duplicatesOnly(error).result.upsertedIds).map(Number)
  }
  await addToLevelStats(levelStats, inserted.map(index => newSongs[index]!))
  return inserted.length
}

/**
 * Inserts songs whose `_id` the caller chose (bulk loads: one plain insert each, no lookup by artist and title)
 * and adds those inserted to the level stats as importSongs does. A song already there, by `_id` or by artist
 * and title, is skipped, so a load can be run again. Returns how many songs it inserted.
 */
export async function insertSongs ({ songs, levelStats }: Collections, newSongs: (NewSong & { _id: ObjectId })[]): Promise<number> {
  if (newSongs.length === 0) return 0
  const documents = newSongs.map(songDocument)
  const skipped = await insertSkippingDuplicates(songs, documents)
  const inserted = newSongs.filter((_song, index) => !skipped.has(index))
  await addToLevelStats(levelStats, inserted)
  return inserted.length
}

async function addToLevelStats (levelStats: Collections['levelStats'], inserted: NewSong[]): Promise<void> {
  const perLevel = new Map<number, { count: number, sum: number }>()
  for (const { level, difficulty } of inserted) {
    const stats = perLevel.get(level) ?? { count: 0, sum: 0 }
    perLevel.set(level, { count: stats.count + 1, sum: stats.sum + difficulty })
  }
  if (perLevel.size === 0) return
  await applyLevelStatsChange(levelStats, [...perLevel].map(([level, { count, sum }]) => ({ level, count, sum })))
}
