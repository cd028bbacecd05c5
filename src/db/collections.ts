import { MongoBulkWriteError, MongoServerError, type Collection, type Db, type ObjectId, type OptionalUnlessRequiredId } from 'mongodb'
import type { Stars } from '../lib/stars.ts'

/** MongoDB's error code for a write that breaks a unique index. */
export const DUPLICATE_KEY = 11000

// FerretDB 1 reports an update (not an insert) that breaks a unique index as InternalError with SQLite's message.
const FERRETDB_UPDATE_DUPLICATE = /UNIQUE constraint failed/

export function isDuplicateKey (error: unknown): boolean {
  return error instanceof MongoServerError && (error.code === DUPLICATE_KEY || FERRETDB_UPDATE_DUPLICATE.test(error.message))
}

/**
 * Runs an upsert, and once more if it lost an insert race (two first writes of one document at once): the loser
 * then finds the document there and updates it. MongoDB retries such an upsert itself; other MongoDB-wire servers
 * (FerretDB) report the duplicate key.
 */
export async function upsertRetryingRace<T> (upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert()
  } catch (error) {
    if (isDuplicateKey(error)) return upsert()
    throw error
  }
}

/** A bulk write error whose every failure is a duplicate key (those entries were there already); anything else is rethrown. */
export function duplicatesOnly (error: unknown): MongoBulkWriteError {
  if (!(error instanceof MongoBulkWriteError) || [error.writeErrors].flat().some(e => e.code !== DUPLICATE_KEY)) throw error
  return error
}

/** Inserts `document` unless a unique index holds it already (false then): of racing inserts exactly one is true. */
export async function insertUnlessDuplicate<T extends { _id: unknown }> (collection: Collection<T>, document: OptionalUnlessRequiredId<T>): Promise<boolean> {
  try {
    await collection.insertOne(document)
    return true
  } catch (error) {
    if (isDuplicateKey(error)) return false
    throw error
  }
}

/** Inserts what is not there yet; returns the indexes of the documents that were (duplicate keys). */
export async function insertSkippingDuplicates<T extends { _id: unknown }> (collection: Collection<T>, documents: OptionalUnlessRequiredId<T>[]): Promise<Set<number>> {
  if (documents.length === 0) return new Set()
  try {
    await collection.insertMany(documents, { ordered: false })
    return new Set()
  } catch (error) {
    return new Set([duplicatesOnly(error).writeErrors].flat().map(e => e.index))
  }
}

/** How many ratings gave each number of stars: `{"1": n, …, "5": n}`. */
export type Distribution = Record<`${Stars}`, number>

/**
 * One per rated song (`_id` is the song's), changed only with `$inc`, so a rating folds in, is replaced or
 * removed with one atomic write. Lowest and highest are read off the distribution: a `$min`/`$max` cannot be
 * taken back when a rating is replaced or removed. Summaries written before distributions (with `min`/`max`
 * instead) are rebuilt by `npm run ratings:reconcile`; `isLegacy` tells them apart. Kept apart from the song
 * so ratings never rewrite catalog documents. Changes commute, so while two of them are in flight the document
 * can be between states (a replacement applied before the first rating it replaces: an entry at -1, no count).
 */
export interface RatingSummaryDocument {
  _id: ObjectId
  count: number
  sum: number
  distribution: Partial<Distribution>
}

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

export interface SongDocument {
  _id: ObjectId
  artist: string
  title: string
  difficulty: number
  level: number
  released: string
  search_prefixes: string[]
}

/** Anonymous ratings, append-only: with user ratings, the source of truth the summaries are reconciled from. */
export interface RatingDocument {
  _id: ObjectId
  song_id: ObjectId
  rating: number
  created_at: Date
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
 * One per refresh token ever issued and not yet expired or revoked; `_id` is the SHA-256 of the token, never the
 * token. Every token of one sign-in shares a `family`; each rotation inserts the next `generation`, which the
 * unique `{family, generation}` index lets happen once. `rotated_at` marks a token already exchanged: presenting it
 * again is reuse. `revoked_at` marks a revoked one (sign-out, reuse); it stays, so that its generation stays taken,
 * until the TTL index on `created_at` removes it.
 */
export interface RefreshTokenDocument {
  _id: string
  user_id: ObjectId
  family: ObjectId
  generation: number
  created_at: Date
  rotated_at?: Date
  revoked_at?: Date
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

export interface Collections {
  songs: Collection<SongDocument>
  ratings: Collection<RatingDocument>
  ratingSummaries: Collection<RatingSummaryDocument>
  levelStats: Collection<LevelStatsDocument>
  idempotencyKeys: Collection<IdempotencyKeyDocument>
  // Catalog: ratings by signed-in users.
  userRatings: Collection<UserRatingDocument>
  // Accounts
  users: Collection<UserDocument>
  refreshTokens: Collection<RefreshTokenDocument>
  accountDeletions: Collection<AccountDeletionDocument>
}

export function collections (db: Db): Collections {
  return {
    songs: db.collection<SongDocument>('songs'),
    ratings: db.collection<RatingDocument>('ratings'),
    ratingSummaries: db.collection<RatingSummaryDocument>('rating_summaries'),
    levelStats: db.collection<LevelStatsDocument>('level_stats'),
    idempotencyKeys: db.collection<IdempotencyKeyDocument>('idempotency_keys'),
    // Catalog: ratings by signed-in users.
    userRatings: db.collection<UserRatingDocument>('user_ratings'),
    // Accounts
    users: db.collection<UserDocument>('users'),
    refreshTokens: db.collection<RefreshTokenDocument>('refresh_tokens'),
    accountDeletions: db.collection<AccountDeletionDocument>('account_deletions')
  }
}

/** Idempotent; run at every start so a new database is ready before the first request. */
export async function ensureIndexes ({ songs, ratings, userRatings, users, refreshTokens, accountDeletions }: Collections): Promise<void> {
  await Promise.all([
    // The natural key: seeding twice, or from several servers at once, cannot duplicate a song.
    songs.createIndex({ artist: 1, title: 1 }, { unique: true, name: 'artist_title_unique' }),
    // Equality on one prefix, then `_id` order: a search page is a bounded index range scan.
    songs.createIndex({ search_prefixes: 1, _id: 1 }, { name: 'search_prefixes_id' }),
    ratings.createIndex({ song_id: 1 }, { name: 'song_id' }),
    // Catalog: one rating per user and song; a user's ratings newest first; a song's ratings (delete, reconcile).
    userRatings.createIndex({ user_id: 1, song_id: 1 }, { unique: true, name: 'user_id_song_id_unique' }),
    userRatings.createIndex({ user_id: 1, order: -1 }, { name: 'user_id_order' }),
    userRatings.createIndex({ song_id: 1 }, { name: 'song_id' }),
    // Accounts: one account per lower-case name; a rotation's successor once per family; a user's tokens revoked at once.
    users.createIndex({ username: 1 }, { unique: true, name: 'username_unique' }),
    refreshTokens.createIndex({ family: 1, generation: 1 }, { unique: true, name: 'family_generation_unique' }),
    refreshTokens.createIndex({ user_id: 1 }, { name: 'user_id' }),
    // Admins: the admins that stay when one may leave (a few documents of millions); deletion jobs whose lease ran out.
    users.createIndex({ roles: 1 }, { name: 'roles' }),
    accountDeletions.createIndex({ lease_until: 1 }, { name: 'lease_until' })
  ])
}
