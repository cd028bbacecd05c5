import type { ObjectId } from 'mongodb'
import type { Stars } from '../lib/stars.ts'
import type { Distribution, RatingSummaryDocument } from './documents.ts'

/** A change of a song's ratings as counts per number of stars: `{"4": 1}` one more, `{"4": -1, "2": 1}` a 4 replaced by a 2. */
export type RatingChange = Partial<Distribution>

/**
 * The update that applies a change to a summary: one atomic `$inc` of count, sum and the distribution's
 * entries, for one posted rating as for a bulk load. Empty when nothing changes (a rating replaced by the same stars).
 */
export function foldIntoSummary (change: RatingChange): { $inc: Record<string, number> } | null {
  const $inc: Record<string, number> = {}
  for (const [stars, n] of Object.entries(change)) {
    if (n === 0) continue
    $inc.count = ($inc.count ?? 0) + n
    $inc.sum = ($inc.sum ?? 0) + n * Number(stars)
    $inc[`distribution.${stars}`] = n
  }
  if ($inc.sum === 0) delete $inc.sum
  if ($inc.count === 0) delete $inc.count
  return Object.keys($inc).length === 0 ? null : { $inc }
}

/** The change of a rating `removed` (none for a first rating) replaced by `added` (none for a removal). */
export function ratingChange (removed: number | undefined, added: number | undefined): RatingChange {
  const change: RatingChange = {}
  if (removed !== undefined) change[`${removed}` as `${Stars}`] = -1
  if (added !== undefined) change[`${added}` as `${Stars}`] = (change[`${added}` as `${Stars}`] ?? 0) + 1
  return change
}

/** `summary` with `n` more ratings of `stars` folded in; a new summary of `songId` when there is none yet. */
export function withRatings (summary: RatingSummaryDocument | undefined, songId: ObjectId, stars: number, n = 1): RatingSummaryDocument {
  const { count = 0, sum = 0, distribution = {} } = summary ?? {}
  return { _id: songId, count: count + n, sum: sum + n * stars, distribution: { ...distribution, [stars]: (distribution[`${stars}` as `${Stars}`] ?? 0) + n } }
}

/**
 * A summary written before distributions existed: it has `min`/`max` (which reconciliation removes) and a
 * distribution that accounts for none of its older ratings.
 */
export function isLegacy (summary: RatingSummaryDocument): boolean {
  return 'min' in summary || 'max' in summary
}
