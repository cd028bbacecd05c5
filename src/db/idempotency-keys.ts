import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { ObjectId, type Collection } from 'mongodb'
import type { IdempotencyKeyDocument } from './documents.ts'
import { deadline } from './deadline.ts'
import { retryingTransient } from './retry-transient.ts'
import { insertUnlessDuplicate } from './unique-writes.ts'
import { idempotencyKeyBusy, idempotencyKeyReused } from '../lib/problems/idempotency.ts'

/** The keys' collection, and the `MONGODB_TIMEOUT_MS` that bounds each command on it. */
export interface KeyStore { keys: Collection<IdempotencyKeyDocument>, timeoutMs: number }

// How long a retry that lost the race waits for the first request's answer, and how often it looks.
const RESPONSE_WAIT_MS = 5000
const RESPONSE_POLL_MS = 20

/** A fingerprint of what a request asks for: the same key with another fingerprint is a reused key. */
export function fingerprint (...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url')
}

/**
 * A key's claim; `claimed` when this request made it, false when an earlier request with the key did; `taken`
 * when this request took it over from an earlier one that failed, crashed or is too slow (whose work may be half done).
 */
export type Claim = IdempotencyKeyDocument & { claimed: boolean, taken?: boolean }

/**
 * The command that claims `key` as of `claimedAt` (an insert, a take-over). One that fails (a timeout) may still
 * have been carried out: its claim, which no request then owns, is released, so that it does not make every retry
 * with the key wait for it until it counts as abandoned.
 */
async function claiming<T> (store: KeyStore, key: string, claimedAt: Date, command: Promise<T>): Promise<T> {
  try {
    return await command
  } catch (error) {
    await releaseClaim(store, key, claimedAt)
    throw error
  }
}

/**
 * Claims `key` for a request, or returns the claim an earlier request with the same key made (with its answer,
 * once it has one). The key's `_id` is unique, so of racing requests exactly one claims it. A key older than the
 * TTL counts as gone even before MongoDB's TTL monitor (which runs once a minute) has removed it.
 */
export async function claimKey (store: KeyStore, key: string, request: string, ttlMs: number, reclaim = true): Promise<Claim> {
  const { keys, timeoutMs } = store
  const claim: IdempotencyKeyDocument = { _id: key, request, rating_id: new ObjectId(), created_at: new Date() }
  if (await claiming(store, key, claim.created_at, insertUnlessDuplicate(keys, claim, timeoutMs))) return { ...claim, claimed: true }
  const earlier = await keys.findOne({ _id: key }, deadline(timeoutMs))
  if (earlier && earlier.created_at.getTime() > Date.now() - ttlMs) {
    if (earlier.request !== request) {
      throw idempotencyKeyReused()
    }
    return { ...earlier, claimed: false }
  }
  // Expired (or removed just now): take the key over, once; a racer that takes it first wins and is returned.
  if (earlier) await keys.deleteOne({ _id: key, created_at: earlier.created_at }, deadline(timeoutMs))
  if (!reclaim) throw idempotencyKeyBusy()
  return claimKey(store, key, request, ttlMs, false)
}

/** Records the answer of the request that claimed `key`; an answer already recorded is kept (and false returned). */
export async function recordResponse ({ keys, timeoutMs }: KeyStore, key: string, response: unknown): Promise<boolean> {
  return (await keys.updateOne({ _id: key, response: { $exists: false } }, { $set: { response } }, deadline(timeoutMs))).modifiedCount === 1
}

/**
 * The answer recorded for `key`, waiting a little for the request that claimed it to record one; undefined when
 * none came in time, or the claim was given up (its request failed) or is `abandonedAfterMs` old, so a retry need
 * not wait any longer: it may take the claim over.
 */
export async function awaitResponse ({ keys, timeoutMs }: KeyStore, key: string, abandonedAfterMs: number): Promise<unknown> {
  const giveUpAt = Date.now() + RESPONSE_WAIT_MS
  while (true) {
    const found = await keys.findOne({ _id: key }, { projection: { response: 1, released: 1, created_at: 1 }, ...deadline(timeoutMs) })
    if (found?.response !== undefined || found?.released === true || Date.now() >= giveUpAt) return found?.response
    if (found && found.created_at.getTime() < Date.now() - abandonedAfterMs) return undefined
    await sleep(RESPONSE_POLL_MS)
  }
}

/**
 * Gives up the claim of a request whose work failed (the database refused a write), so that a retry with the key
 * does the work at once rather than waiting for the claim to count as abandoned. A passing refusal (a lock, often
 * what failed the work too) is retried a few times, since a claim left behind makes retries 409s until then. Best
 * effort beyond that (the database may be out of reach): the request's own error is what the client gets.
 */
export async function releaseClaim ({ keys, timeoutMs }: KeyStore, key: string, claimedAt: Date): Promise<void> {
  await retryingTransient(() => keys.updateOne({ _id: key, created_at: claimedAt, response: { $exists: false } }, { $set: { released: true } }, deadline(timeoutMs)))
    .catch(() => undefined)
}

/**
 * Takes over an unanswered claim whose request gave it up, or that is `abandonedAfterMs` old: one atomic update, so
 * of racing retries one takes it and the others wait for its answer. Null when there is nothing to take: the claim
 * is answered, young and still at work, or another retry has just taken it.
 *
 * A claim that old without an answer is a request that crashed, or failed and could not give it up (the database
 * out of reach, or a timed-out claim the database carried out after all), and waiting for it any longer would make
 * every retry a 409. Should its request still be at work, the take-over costs only work done twice: the rating
 * keeps the claim's `_id` and the journal counts it once, and the first answer recorded is every request's answer.
 */
export async function takeOverClaim (store: KeyStore, key: string, abandonedAfterMs: number): Promise<Claim | null> {
  const takenAt = new Date()
  const taken = await claiming(store, key, takenAt, store.keys.findOneAndUpdate(
    { _id: key, response: { $exists: false }, $or: [{ released: true }, { created_at: { $lt: new Date(takenAt.getTime() - abandonedAfterMs) } }] },
    { $set: { created_at: takenAt }, $unset: { released: '' } },
    { returnDocument: 'after', ...deadline(store.timeoutMs) }
  ))
  return taken && { ...taken, claimed: true, taken: true }
}
