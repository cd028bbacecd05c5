import { MongoError, MongoServerError } from 'mongodb'

/**
 * What a MongoDB-compatible engine means by a refusal, classified in this one place from what the engines answer
 * (recorded documents in the README's engine section): every caller asks "duplicate key?" or "transient?", never
 * matches an engine's message itself.
 */

/** MongoDB's code for a write that breaks a unique index; every engine answers it for an insert. */
export const DUPLICATE_KEY = 11000
// Engines built on SQL databases report an update (not an insert) that breaks a unique index as InternalError (1)
// with their database's own message: FerretDB 1 SQLite's "UNIQUE constraint failed: …", DocumentDB's (PostgreSQL's)
// "conflicting key value violates exclusion constraint "documents_rum_index_…"" (the index name is the engine's).
const INTERNAL_ERROR = 1
const UPDATE_DUPLICATE = /UNIQUE constraint failed|conflicting key value violates exclusion constraint|duplicate key value violates unique constraint/

// Refusals that the same command, sent again a moment later, gets through: PostgreSQL's deadlock detector (DocumentDB,
// seen on concurrent createIndex), SQLite's lock (FerretDB 1, many writers on one database).
const TRANSIENT = /deadlock detected|database is locked|SQLITE_BUSY/
const TRANSIENT_LABELS = ['TransientTransactionError', 'RetryableWriteError'] as const

/** What a server answered: a `MongoServerError`, or one entry of a bulk write's `writeErrors`. */
interface Refusal { code?: unknown, errmsg?: unknown, message?: unknown }

function messageOf (refusal: Refusal): string {
  return String(refusal.errmsg ?? refusal.message ?? '')
}

function isRefusal (error: unknown): error is Refusal {
  return error instanceof MongoServerError || (typeof error === 'object' && error !== null && 'code' in error && ('errmsg' in error || 'message' in error))
}

/** A write (insert, update or upsert) that a unique index refused, on any engine. */
export function isDuplicateKey (error: unknown): boolean {
  if (!isRefusal(error)) return false
  const code = Number(error.code)
  return code === DUPLICATE_KEY || (code === INTERNAL_ERROR && UPDATE_DUPLICATE.test(messageOf(error)))
}

/** A refusal that says nothing about the request: the same command may succeed if sent again. */
export function isTransient (error: unknown): boolean {
  if (error instanceof MongoError && TRANSIENT_LABELS.some(label => error.hasErrorLabel(label))) return true
  return isRefusal(error) && TRANSIENT.test(messageOf(error))
}
