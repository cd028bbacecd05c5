import { ObjectId, type AnyBulkWriteOperation } from 'mongodb'
import type { Collections } from './collections.ts'
import type { SongDocument } from './documents.ts'
import { insertSkippingDuplicates } from './unique-writes.ts'
import { readByIds } from './read-batch.ts'
import { MAX_WRITE_BATCH, writeInBatches } from './write-batches.ts'
import { applyLevelStatsChange } from './level-stats.ts'
import { addTerms, removeTerms } from './search-terms.ts'
import { songDocument } from './song-document.ts'
import type { NewSong } from './song-file.ts'

/**
 * Inserts the songs that are not in the catalog yet (by artist and title) and adds exactly those to the
 * per-level difficulty stats. Safe to run twice or from several processes at once: a song another
 * writer inserted first is a duplicate-key miss here, and only this call's own inserts are counted.
 * Returns how many songs it inserted.
 */
export async function importSongs (collections: Collections, newSongs: NewSong[]): Promise<number> {
  let inserted = 0
  // A slice at a time, each whole (terms, songs, level stats) before the next: a failure leaves the slices before it
  // complete and counted, and a run again adds what is missing.
  for (let start = 0; start < newSongs.length; start += MAX_WRITE_BATCH) {
    inserted += await importSlice(collections, newSongs.slice(start, start + MAX_WRITE_BATCH))
  }
  return inserted
}

async function importSlice ({ songs, searchTerms, levelStats }: Collections, newSongs: NewSong[]): Promise<number> {
  // Each song gets its `_id` here, so that its search terms are written before it; the terms of songs that were
  // there already (by artist and title) are removed after.
  const documents = newSongs.map(song => ({ _id: new ObjectId(), ...songDocument(song) }))
  await addTerms(searchTerms, documents)
  const operations: AnyBulkWriteOperation<SongDocument>[] = documents.map(document => ({
    updateOne: {
      filter: { artist: document.artist, title: document.title },
      update: { $setOnInsert: document },
      upsert: true
    }
  }))
  // A duplicate key here is an upsert that lost an insert race to another import of the same song.
  const { upsertedIds } = await writeInBatches(songs, operations, { skipDuplicates: true })
  // Told apart by the `_id`s given here, not by the indexes reported: FerretDB 1 numbers the upserts among
  // themselves, not among the operations.
  const insertedIds = new Set(upsertedIds.map(id => String(id)))
  const inserted = documents.filter(document => insertedIds.has(document._id.toHexString()))
  await removeTerms(searchTerms, documents.filter(document => !insertedIds.has(document._id.toHexString())))
  await addToLevelStats(levelStats, inserted)
  return inserted.length
}

/**
 * Inserts songs whose `_id` the caller chose (bulk loads: one plain insert each, no lookup by artist and title)
 * and adds those inserted to the level stats as importSongs does. A song already there, by `_id` or by artist
 * and title, is skipped, so a load can be run again. Returns how many songs it inserted.
 */
export async function insertSongs ({ songs, searchTerms, levelStats }: Collections, newSongs: (NewSong & { _id: ObjectId })[]): Promise<number> {
  if (newSongs.length === 0) return 0
  const documents = newSongs.map(songDocument)
  await addTerms(searchTerms, documents)
  const skipped = await insertSkippingDuplicates(songs, documents)
  // A song skipped for its artist and title has another `_id`: the terms written for this one go.
  const notInserted = documents.filter((_document, index) => skipped.has(index))
  if (notInserted.length > 0) {
    const there = new Set((await readByIds(songs, notInserted.map(song => song._id), { projection: { _id: 1 } })).map(song => song._id.toHexString()))
    await removeTerms(searchTerms, notInserted.filter(song => !there.has(song._id.toHexString())))
  }
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
