import type { AnyBulkWriteOperation } from 'mongodb'
import type { Collections } from './collections.ts'
import type { LevelStatsDocument } from './documents.ts'
import { writeInBatches } from './write-batches.ts'

// Sums of fractional difficulties added in another order differ in their last bits; that is not a divergence.
const SUM_TOLERANCE = 1e-9

function differs (a: number, b: number): boolean {
  return Math.abs(a - b) > SUM_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))
}

/**
 * Recomputes the per-level count and sum of difficulties from the songs themselves: repairs a crash between a
 * catalog write and its level-stats update, lost updates on servers without atomic `$inc` (FerretDB), and
 * rounding that many `$inc`s of fractional difficulties have added up to. A level left without songs keeps its
 * document with zeros. Returns how many levels it changed.
 */
export async function reconcileLevelStats ({ songs, levelStats }: Collections): Promise<number> {
  // The database counts each (level, difficulty) pair and the sums are added up here: FerretDB 1 answers
  // `$sum` of a field with 0, while `$sum: 1` (a count) is right everywhere.
  const pairs = songs.aggregate<{ _id: { level: number, difficulty: number }, n: number }>([
    { $group: { _id: { level: '$level', difficulty: '$difficulty' }, n: { $sum: 1 } } }
  ], { allowDiskUse: true })
  const computed = new Map<number, { count: number, sum: number }>()
  for await (const { _id: { level, difficulty }, n } of pairs) {
    const stats = computed.get(level) ?? { count: 0, sum: 0 }
    computed.set(level, { count: stats.count + n, sum: stats.sum + n * difficulty })
  }
  // One document per level, at most MAX_LEVEL of them.
  const stored = new Map((await levelStats.find({}).toArray()).map(stats => [stats._id, stats]))
  const operations: AnyBulkWriteOperation<LevelStatsDocument>[] = []
  for (const level of new Set([...computed.keys(), ...stored.keys()])) {
    const { count, sum } = computed.get(level) ?? { count: 0, sum: 0 }
    const was = stored.get(level)
    if (!was || was.count !== count || differs(was.sum, sum)) {
      operations.push({ updateOne: { filter: { _id: level }, update: { $set: { count, sum } }, upsert: true } })
    }
  }
  await writeInBatches(levelStats, operations)
  return operations.length
}
