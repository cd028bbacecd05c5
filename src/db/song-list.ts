import { ObjectId } from 'mongodb'
import type { Collections } from './collections.ts'
import type { SongDocument } from './documents.ts'
import { bounds } from './deadline.ts'
import { orderRange } from './order-keys.ts'
import { MAX_READ_BATCH, readBatch, readByIds } from './read-batch.ts'
import type { SongListOrder, SongListPosition } from '../lib/song-list-cursor.ts'

/** Rounds a page reads at most when order keys it meets are leftovers of an interrupted write (rare: one more round). */
const MAX_ROUNDS = 4

/**
 * Up to `count` songs in `order` after `after`. The whole catalog in `_id` order is the songs' own `_id` range; any
 * other order is its range of order keys in `search_terms` (src/db/order-keys.ts), walked in order with a limit, then
 * those songs by `_id`: two reads, both on the `_id` index, whatever the catalog's size. A key whose song no longer
 * has that level or difficulty (a write that stopped between the song and its keys) is skipped.
 */
export async function songListPage<P extends Record<string, 1>> (
  { songs, searchTerms }: Pick<Collections, 'songs' | 'searchTerms'>, order: SongListOrder, count: number, after: SongListPosition | undefined,
  { projection, maxTimeMS }: { projection: P, maxTimeMS: number }
): Promise<SongDocument[]> {
  if (order.level === undefined && order.sort === 'id') {
    return readBatch(songs, after ? { _id: { $gt: after.id } } : {}, count, { projection, sort: { _id: 1 }, hint: { _id: 1 }, ...bounds(maxTimeMS) })
  }
  const found: SongDocument[] = []
  let range = orderRange(order, after)
  for (let round = 0; round < MAX_ROUNDS && found.length < count; round++) {
    const asked = Math.min(MAX_READ_BATCH, (count - found.length) * (round + 1))
    const keys = await readBatch(searchTerms, { _id: range }, asked, { projection: { _id: 1 }, sort: { _id: 1 }, hint: { _id: 1 }, ...bounds(maxTimeMS) })
    const byId = new Map((await readByIds(songs, keys.map(key => new ObjectId(key._id.slice(-24))), { projection: { ...projection, level: 1, difficulty: 1 }, ...bounds(maxTimeMS) }))
      .map(song => [song._id.toHexString(), song]))
    for (const key of keys) {
      const song = byId.get(key._id.slice(-24))
      // The song's key in this order as the song is now: a key of a level or difficulty it no longer has is a leftover.
      const current = song && (order.level === undefined || song.level === order.level) && orderRange(order, { id: song._id, difficulty: song.difficulty }).$gt
      if (current === key._id && found.length < count) found.push(song!)
    }
    if (keys.length < asked) break
    range = { ...range, $gt: keys.at(-1)!._id }
  }
  return found
}
