import { ObjectId } from 'mongodb'

/** A page cursor is the last `_id` of the page, as 16 base64url characters (its 12 bytes). */
export const CURSOR_PATTERN = '^[A-Za-z0-9_-]{16}$'

export function encodeCursor (id: ObjectId): string {
  return Buffer.from(id.id).toString('base64url')
}

/** Every string matching CURSOR_PATTERN decodes to exactly 12 bytes; the schema rejects anything else first. */
export function decodeCursor (cursor: string): ObjectId {
  if (!new RegExp(CURSOR_PATTERN).test(cursor)) throw new RangeError('malformed cursor')
  return new ObjectId(Buffer.from(cursor, 'base64url'))
}

/**
 * A cursor over a text key, for pages in another order than `_id` (users by username): the page's last key,
 * base64url-encoded, up to 64 characters (48 bytes; usernames have at most 32).
 */
export const TEXT_CURSOR_PATTERN = '^[A-Za-z0-9_-]{2,64}$'

export function encodeTextCursor (key: string): string {
  return Buffer.from(key).toString('base64url')
}

/** Any string matching TEXT_CURSOR_PATTERN decodes; it is only ever a bound of a range, never a query of its own. */
export function decodeTextCursor (cursor: string): string {
  if (!new RegExp(TEXT_CURSOR_PATTERN).test(cursor)) throw new RangeError('malformed cursor')
  return Buffer.from(cursor, 'base64url').toString()
}
