import { ObjectId } from 'mongodb'
import { ProblemError } from './problems/problem.ts'
import { decodeCursor, encodeCursor } from './cursor.ts'

/** How `GET /songs` pages: all songs or one level's, in `_id` order or easiest first (ties by `_id`). */
export interface SongListOrder { level?: number, sort: 'id' | 'difficulty' }

/** Where a page of that order ended: the last song's `_id`, and its difficulty when the order is by difficulty. */
export interface SongListPosition { id: ObjectId, difficulty?: number }

/**
 * A `GET /songs` cursor: the catalog's plain `_id` order keeps its 16-character cursor (12 bytes: the `_id`); any
 * other order's cursor names its filter and order, so that it cannot be used with another one: a kind byte (1
 * level in `_id` order, 2 by difficulty, 3 a level by difficulty), the level (2 bytes, 0 for none), the difficulty
 * (a float64, by difficulty only), then the `_id`. 20 or 31 base64url characters.
 */
export const SONG_LIST_CURSOR_PATTERN = '^(?:[A-Za-z0-9_-]{16}|[A-Za-z0-9_-]{20}|[A-Za-z0-9_-]{31})$'

const kindOf = ({ level, sort }: SongListOrder) => (level === undefined ? 0 : 1) + (sort === 'difficulty' ? 2 : 0)

export function encodeSongListCursor (order: SongListOrder, { id, difficulty }: SongListPosition): string {
  const kind = kindOf(order)
  if (kind === 0) return encodeCursor(id)
  const bytes = Buffer.alloc(order.sort === 'difficulty' ? 23 : 15)
  bytes.writeUInt8(kind, 0)
  bytes.writeUInt16BE(order.level ?? 0, 1)
  if (order.sort === 'difficulty') bytes.writeDoubleBE(difficulty!, 3)
  Buffer.from(id.id).copy(bytes, bytes.length - 12)
  return bytes.toString('base64url')
}

function mismatch (): ProblemError {
  return new ProblemError(400, 'CURSOR_MISMATCH', 'This cursor belongs to another level or order: use it with the `level` and `sort` of the page it came from, or start again without a cursor.')
}

/** The position a cursor names, when it was made for `order`; a 400 problem `CURSOR_MISMATCH` otherwise. */
export function decodeSongListCursor (order: SongListOrder, cursor: string): SongListPosition {
  if (!new RegExp(SONG_LIST_CURSOR_PATTERN).test(cursor)) throw mismatch()
  const kind = kindOf(order)
  if (cursor.length === 16) {
    if (kind !== 0) throw mismatch()
    return { id: decodeCursor(cursor) }
  }
  const bytes = Buffer.from(cursor, 'base64url')
  if (bytes.readUInt8(0) !== kind || bytes.readUInt16BE(1) !== (order.level ?? 0) || bytes.length !== (order.sort === 'difficulty' ? 23 : 15)) throw mismatch()
  const id = new ObjectId(bytes.subarray(bytes.length - 12))
  if (order.sort !== 'difficulty') return { id }
  const difficulty = bytes.readDoubleBE(3)
  if (!Number.isFinite(difficulty)) throw mismatch()
  return { id, difficulty }
}
