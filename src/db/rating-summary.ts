import type { Stars } from '../lib/stars.ts'
import type { Distribution, SongRatings } from './documents.ts'

/** A change of a song's ratings as counts per number of stars: `{"4": 1}` one more, `{"4": -1, "2": 1}` a 4 replaced by a 2. */
export type RatingChange = Partial<Distribution>

/**
 * The update that applies a change to a song's ratings (`rating` of the song): one atomic `$inc` of count, sum and
 * the distribution's entries, for one posted rating as for a bulk load. Empty when nothing changes (a rating
 * replaced by the same stars).
 */
export function foldIntoSummary (change: RatingChange): { $inc: Record<string, number> } | null {
  let count = 0
  let sum = 0
  const $inc: Record<string, number> = {}
  for (const [stars, n] of Object.entries(change)) {
    if (n === 0) continue
    count += n
    sum += n * Number(stars)
    $inc[`rating.distribution.${stars}`] = n
  }
  if (count !== 0) $inc['rating.count'] = count
  if (sum !== 0) $inc['rating.sum'] = sum
  return Object.keys($inc).length === 0 ? null : { $inc }
}

/** The change of a rating `removed` (none for a first rating) replaced by `added` (none for a removal). */
export function ratingChange (removed: number | undefined, added: number | undefined): RatingChange {
  const change: RatingChange = {}
  if (removed !== undefined) change[`${removed}` as `${Stars}`] = -1
  if (added !== undefined) change[`${added}` as `${Stars}`] = (change[`${added}` as `${Stars}`] ?? 0) + 1
  return change
}

/** `ratings` with `n` more ratings of `stars` folded in; counts from none when there are none yet. */
export function withRatings (ratings: SongRatings | undefined, stars: number, n = 1): SongRatings {
  const { count = 0, sum = 0, distribution = {} } = ratings ?? {}
  return { count: count + n, sum: sum + n * stars, distribution: { ...distribution, [stars]: (distribution[`${stars}` as `${Stars}`] ?? 0) + n } }
}
