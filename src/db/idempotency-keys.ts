import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { ObjectId, type Collection } from 'mongodb'
import { ProblemError } from '../lib/problem.ts'
import { isDuplicateKey, type IdempotencyKeyDocument } from './collections.ts'

type Keys = Collection<IdempotencyKeyDocument>

// How long a retry that lost the race waits for the first request's answer, and how often it looks.
const RESPONSE_WAIT_MS = 5000
const RESPONSE_POLL_MS = 20
/** A request that claimed a key and has not answered after this long has crashed. */
export const CRASHED_AFTER_MS = 60_000

export function idempotencyKeyBusy (): ProblemError {
  return new ProblemError(409, 'IDEMPOTENCY_KEY_BUSY', 'A request with this Idempotency-Key is still being processed; retry shortly.')
}

export function idempotencyKeyReused (): ProblemError {
  return new ProblemError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with another request; use a new key for a new request.')
}

/** A fingerprint of what a request asks for: the same key with another fingerprint is a reused key. */
export function fingerprint (...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url')
}

/**
 * Claims `key` for a request, or returns the claim an earlier request with the same key made (with its answer,
 * once it has one). The key's `_id` is unique, so of racing requests exactly one claims it. A key older than the
 * TTL counts as gone even before MongoDB's TTL monitor (which runs once a minute) has removed it.
 */
/** A key's claim; `claimed` when this request made it, false when an earlier request with the key did. */
export type Claim = IdempotencyKeyDocument & { claimed: boolean }

export async function claimKey (keys: Keys, key: string, request: string, ttlMs: number, reclaim = true): Promise<Claim> {
  const claim: IdempotencyKeyDocument = { _id: key, request, rating_id: new ObjectId(), created_at: new Date() }
  try {
    await keys.insertOne(claim)
    return { ...claim, claimed: true }
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
  const earlier = await keys.findOne({ _id: key })
  if (earlier && earlier.created_at.getTime() > Date.now() - ttlMs) {
    if (earlier.request !== request) {
      throw idempotencyKeyReused()
    }
    return { ...earlier, claimed: false }
  }
  // Expired (or removed just now): take the key over, once; a racer that takes it first wins and is returned.
  if (earlier) await keys.deleteOne({ _id: key, created_at: earlier.created_at })
  if (!reclaim) throw idempotencyKeyBusy()
  return claimKey(keys, key, request, ttlMs, false)
}

/** Records the answer of the request that claimed `key`; an answer already recorded is kept (and false returned). */
export async function recordResponse (keys: Keys, key: string, response: unknown): Promise<boolean> {
  return (await keys.updateOne({ _id: key, response: { $exists: false } }, { $set: { response } })).modifiedCount === 1
}

/** The answer recorded for `key`, waiting a little for the request that claimed it to record one. */
export async function awaitResponse (keys: Keys, key: string): Promise<unknown> {
  const deadline = Date.now() + RESPONSE_WAIT_MS
  while (true) {
    const found = await keys.findOne({ _id: key }, { projection: { response: 1 } })
    if (found?.response !== undefined || Date.now() >= deadline) return found?.response
    await sleep(RESPONSE_POLL_MS)
  }
}
