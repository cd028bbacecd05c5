import type { Collection } from 'mongodb'
import type { LevelStatsDocument, SongDocument } from './documents.ts'
import { incrementCreating } from './unique-writes.ts'

type Levelled = Pick<SongDocument, 'level' | 'difficulty'>

/** How much a level's count and sum of difficulties change. */
export interface LevelStatsDelta { level: number, count: number, sum: number }

/**
 * The deltas that move the level stats from a song as it was (`before`, none for a new song) to as it is
 * (`after`, none for a deleted one): a change of level moves the song between two levels, a change of
 * difficulty changes its level's sum. Deltas, never values read and written back, so concurrent writes add up.
 */
export function levelStatsChange (before: Levelled | undefined, after: Levelled | undefined): LevelStatsDelta[] {
  const deltas = new Map<number, { count: number, sum: number }>()
  const add = ({ level, difficulty }: Levelled, n: number) => {
    const delta = deltas.get(level) ?? { count: 0, sum: 0 }
    deltas.set(level, { count: delta.count + n, sum: delta.sum + n * difficulty })
  }
  if (before) add(before, -1)
  if (after) add(after, 1)
  return [...deltas].filter(([, { count, sum }]) => count !== 0 || sum !== 0).map(([level, { count, sum }]) => ({ level, count, sum }))
}

/**
 * Applies level-stats deltas, each an `$inc` of its level's document, which the level's first song creates;
 * `timeoutMs` bounds each command (none for an import).
 */
export async function applyLevelStatsChange (levelStats: Collection<LevelStatsDocument>, deltas: LevelStatsDelta[], timeoutMs?: number): Promise<void> {
  await Promise.all(deltas.map(({ level, count, sum }) => incrementCreating(levelStats, { _id: level, count: 0, sum: 0 }, { count, sum }, timeoutMs)))
}
