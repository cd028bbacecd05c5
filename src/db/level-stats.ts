import type { AnyBulkWriteOperation, Collection } from 'mongodb'
import { duplicatesOnly, type LevelStatsDocument, type SongDocument } from './collections.ts'

type Levelled = Pick<SongDocument, 'level' | 'difficulty'>

/**
 * The `$inc`s that move the level stats from a song as it was (`before`, none for a new song) to as it is
 * (`after`, none for a deleted one): a change of level moves the song between two levels, a change of
 * difficulty changes its level's sum. Deltas, never values read and written back, so concurrent writes add up.
 */
export function levelStatsChange (before: Levelled | undefined, after: Levelled | undefined): AnyBulkWriteOperation<LevelStatsDocument>[] {
  const deltas = new Map<number, { count: number, sum: number }>()
  const add = ({ level, difficulty }: Levelled, n: number) => {
    const delta = deltas.get(level) ?? { count: 0, sum: 0 }
    deltas.set(level, { count: delta.count + n, sum: delta.sum + n * difficulty })
  }
  if (before) add(before, -1)
  if (after) add(after, 1)
  return [...deltas].filter(([, { count, sum }]) => count !== 0 || sum !== 0).map(([level, { count, sum }]) => ({
    updateOne: { filter: { _id: level }, update: { $inc: { count, sum } }, upsert: true }
  }))
}

/**
 * Applies level-stats `$inc` upserts. Two first songs of a level at once can both try to insert its stats: MongoDB
 * retries such an upsert itself, other MongoDB-wire servers (FerretDB) report the duplicate key, so the operations
 * that lost the race are applied once more, as the updates they now are.
 */
export async function applyLevelStatsChange (levelStats: Collection<LevelStatsDocument>, operations: AnyBulkWriteOperation<LevelStatsDocument>[]): Promise<void> {
  if (operations.length === 0) return
  try {
    await levelStats.bulkWrite(operations, { ordered: false })
  } catch (error) {
    await levelStats.bulkWrite([duplicatesOnly(error).writeErrors].flat().map(e => operations[e.index]!), { ordered: false })
  }
}
