import type { AnyBulkWriteOperation } from 'mongodb'
import type { LevelStatsDocument, SongDocument } from './collections.ts'

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
