import type { Collections } from './collections.ts'
import type { SongDocument } from './documents.ts'
import { bounds } from './deadline.ts'
import { readBatch } from './read-batch.ts'
import type { SongListOrder, SongListPosition } from '../lib/song-list-cursor.ts'

/** The index each order of the list walks (besides `_id_` for the whole catalog in `_id` order), by name. */
export const SONG_LIST_INDEXES = {
  level_id: { level: 1, _id: 1 },
  difficulty_id: { difficulty: 1, _id: 1 },
  level_difficulty_id: { level: 1, difficulty: 1, _id: 1 }
} as const

function indexOf ({ level, sort }: SongListOrder) {
  if (sort === 'difficulty') return level === undefined ? SONG_LIST_INDEXES.difficulty_id : SONG_LIST_INDEXES.level_difficulty_id
  return level === undefined ? { _id: 1 } as const : SONG_LIST_INDEXES.level_id
}

/**
 * Up to `count` songs in `order` after `after`, each read a range of the order's own index walked in order with a
 * limit, sorted and hinted by that index's keys: no sort in memory, no plan left to a planner's estimate (a
 * PostgreSQL-based engine has none to go by). After a difficulty the range is in two parts, each one an index range:
 * the songs of that same difficulty after the `_id`, then those of a higher difficulty.
 */
export async function songListPage<P extends Record<string, 1>> (
  songs: Collections['songs'], order: SongListOrder, count: number, after: SongListPosition | undefined, { projection, maxTimeMS }: { projection: P, maxTimeMS: number }
): Promise<SongDocument[]> {
  const index = indexOf(order)
  const read = (filter: Record<string, unknown>, n: number) => readBatch(songs, { ...(order.level === undefined ? {} : { level: order.level }), ...filter }, n, { projection, sort: index, hint: index, ...bounds(maxTimeMS) })
  if (!after) return read({}, count)
  if (order.sort === 'id') return read({ _id: { $gt: after.id } }, count)
  const tied = await read({ difficulty: after.difficulty, _id: { $gt: after.id } }, count)
  if (tied.length === count) return tied
  return [...tied, ...await read({ difficulty: { $gt: after.difficulty } }, count - tied.length)]
}
