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
