import type { ObjectId } from 'mongodb'
import type { Stars } from '../lib/stars.ts'

// The documents of every collection (src/db/collections.ts names them), with what each field means.

/** How many ratings gave each number of stars: `{"1": n, …, "5": n}`. */
export type Distribution = Record<`${Stars}`, number>

/**
 * A song's ratings, kept on the song (`rating`; absent until its first rating), so a page of songs with their
 * ratings is the same one read as a page without. Changed only with `$inc`, so a rating folds in, is replaced or
 * removed with one atomic write of the song. Lowest and highest are read off the distribution: a `$min`/`$max`
 * cannot be taken back when a rating is replaced or removed. Changes commute, so while two of them are in flight
 * the counts can be between states (a replacement applied before the first rating it replaces: an entry at -1).
 */
export interface SongRatings {
  count: number
  sum: number
  distribution: Partial<Distribution>
  /** Changes applied here whose rating is not yet known to be stored (src/db/rating-journal.ts). */
  pending?: PendingChange[]
}

/** An anonymous rating counted in its song's ratings: `rating_id` is the rating's `_id`; `op` the entry's own id. */
export interface PendingAnonymousRating {
  op: ObjectId
  at: Date
  rating_id: ObjectId
  stars: number
}

/**
 * A change of a user's rating counted in its song's ratings: `from` stars (null: none) at `from_order` (the rating's
 * `order` the write is conditional on) to `to` stars (null: removed). The write sets the rating's `order` to `op`.
 */
export interface PendingUserRating {
  op: ObjectId
  at: Date
  user_id: ObjectId
  from: number | null
  from_order: ObjectId | null
  to: number | null
}

export type PendingChange = PendingAnonymousRating | PendingUserRating

export interface SongDocument {
  _id: ObjectId
  artist: string
  title: string
  difficulty: number
  level: number
  released: string
  search_prefixes: string[]
  rating?: SongRatings
}

/**
 * One per (search prefix, song): `_id` is `"<prefix> <song id in hex>"` (src/db/search-terms.ts), so one prefix's
 * songs are one `_id` range in song order. Written before the song, removed after it: a term whose song is gone or
 * renamed is a harmless leftover that reads filter out.
 */
export interface SearchTermDocument {
  _id: string
  /** Only on the build's two markers (`#built-2`, `#progress`): the last song whose terms the build wrote. */
  after?: ObjectId
}

/** Anonymous ratings, append-only: with user ratings, the source of truth the summaries are reconciled from. */
export interface RatingDocument {
  _id: ObjectId
  song_id: ObjectId
  rating: number
  created_at: Date
  /** The journal entry that counted it, when not `_id` (a keyed retry's): see src/db/rating-journal.ts. */
  op?: ObjectId
}

/**
 * A signed-in user's rating of a song: at most one per user and song (a unique index), replaced in place when
 * the user rates the song again. `order` is a new ObjectId at every write: the newest-first order of the user's
 * ratings, and the cursor of their pages.
 */
export interface UserRatingDocument {
  _id: ObjectId
  user_id: ObjectId
  song_id: ObjectId
  rating: number
  rated_at: Date
  order: ObjectId
}

/** One document per level (`_id` is the level), kept current by every catalog write. */
export interface LevelStatsDocument {
  _id: number
  count: number
  sum: number
}

/**
 * One per `Idempotency-Key` of `POST /songs/rating` (`_id` is the key), removed by a TTL index. `rating_id` is
 * fixed when the key is first claimed and becomes the stored rating's `_id`, so however many retries race, the
 * ratings collection can hold that rating only once.
 */
export interface IdempotencyKeyDocument {
  _id: string
  request: string
  rating_id: ObjectId
  created_at: Date
  response?: unknown
  /** Set when the request that claimed the key failed: a retry takes the claim over at once. */
  released?: boolean
}

/** One per account; `username` is stored lower-case, so the unique index makes `Alice` and `alice` one account. */
export interface UserDocument {
  _id: ObjectId
  username: string
  /** An argon2id PHC string; never leaves the users repository. */
  password_hash: string
  roles: string[]
  created_at: Date
  /** Set by an admin: the account cannot sign in and its tokens are refused. Absent = false. */
  disabled?: boolean
  /**
   * Raised by one (`$inc`) to end every session of the user at once: access tokens carry the version they were
   * issued under (claim `ver`) and refresh tokens record it, and a token of another version is refused. Absent = 0.
   */
  session_version?: number
  /**
   * Set by a change that may take an admin away (demotion, disabling, deletion) before it counts the admins that
   * stay, and removed by the change itself: two such changes at once each see the other's target leaving.
   */
  leaving?: { change: ObjectId, since: Date }
}

/**
 * One per account being deleted (`_id` is the user's id), written before the user document is removed and
 * removed once every rating of the user is out of its song's summary. Whoever holds the lease (`owner` until
 * `lease_until`) works on it; anyone may claim it after, so a crashed instance's job is finished by another.
 */
export interface AccountDeletionDocument {
  _id: ObjectId
  requested_at: Date
  lease_until: Date
  owner: string | null
  /** The user's ratings removed so far. */
  removed_ratings: number
}

/**
 * One per refresh token ever issued and not yet expired or revoked; `_id` is the SHA-256 of the token, never the
 * token. Every token of one sign-in shares a `family`; each rotation inserts the next `generation`, which the
 * unique `{family, generation}` index lets happen once. `rotated_at` marks a token already exchanged: presenting it
 * again is reuse. `revoked_at` marks a revoked one (sign-out, reuse); it stays, so that its generation stays taken,
 * until the TTL index on `created_at` removes it.
 * Ending all of a user's sessions needs no write here: every token records the session version it belongs to.
 */
export interface RefreshTokenDocument {
  _id: string
  user_id: ObjectId
  family: ObjectId
  generation: number
  /** The user's `session_version` at sign-in, kept by every rotation: a refresh is refused once the user's differs. Absent = 0. */
  session_version?: number
  created_at: Date
  rotated_at?: Date
  revoked_at?: Date
}
