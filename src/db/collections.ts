import { MongoBulkWriteError, MongoServerError, type Collection, type Db, type ObjectId, type OptionalUnlessRequiredId } from 'mongodb'

/** MongoDB's error code for a write that breaks a unique index. */
export const DUPLICATE_KEY = 11000

export function isDuplicateKey (error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY
}

/** A bulk write error whose every failure is a duplicate key (those entries were there already); anything else is rethrown. */
export function duplicatesOnly (error: unknown): MongoBulkWriteError {
  if (!(error instanceof MongoBulkWriteError) || [error.writeErrors].flat().some(e => e.code !== DUPLICATE_KEY)) throw error
  return error
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

/**
 * One per rated song (`_id` is the song's), changed only with `$inc`/`$min`/`$max`, so a rating folds in with
 * one atomic write. Kept apart from the song so ratings never rewrite catalog documents.
 */
export interface RatingSummaryDocument {
  _id: ObjectId
  count: number
  sum: number
  min: number
  max: number
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

/** The update that folds ratings into a summary: one atomic write, for one posted rating as for a bulk load. */
export function foldIntoSummary ({ count, sum, min, max }: Omit<RatingSummaryDocument, '_id'>) {
  return { $inc: { count, sum }, $min: { min }, $max: { max } }
}

/** `summary` with `n` more ratings of `stars` folded in; a new summary of `songId` when there is none yet. */
export function withRatings (summary: RatingSummaryDocument | undefined, songId: ObjectId, stars: number, n = 1): RatingSummaryDocument {
  if (!summary) return { _id: songId, count: n, sum: n * stars, min: stars, max: stars }
  return { _id: songId, count: summary.count + n, sum: summary.sum + n * stars, min: Math.min(summary.min, stars), max: Math.max(summary.max, stars) }
}

/** Append-only: the source of truth the summaries on songs are reconciled from. */
export interface RatingDocument {
  _id: ObjectId
  song_id: ObjectId
  rating: number
  created_at: Date
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
}

/** One per account; `username` is stored lower-case, so the unique index makes `Alice` and `alice` one account. */
export interface UserDocument {
  _id: ObjectId
  username: string
  /** An argon2id PHC string; never leaves the users repository. */
  password_hash: string
  roles: string[]
  created_at: Date
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

export interface Collections {
  songs: Collection<SongDocument>
  ratings: Collection<RatingDocument>
  ratingSummaries: Collection<RatingSummaryDocument>
  levelStats: Collection<LevelStatsDocument>
  idempotencyKeys: Collection<IdempotencyKeyDocument>
  // Accounts
  users: Collection<UserDocument>
  refreshTokens: Collection<RefreshTokenDocument>
}

export function collections (db: Db): Collections {
  return {
    songs: db.collection<SongDocument>('songs'),
    ratings: db.collection<RatingDocument>('ratings'),
    ratingSummaries: db.collection<RatingSummaryDocument>('rating_summaries'),
    levelStats: db.collection<LevelStatsDocument>('level_stats'),
    idempotencyKeys: db.collection<IdempotencyKeyDocument>('idempotency_keys'),
    // Accounts
    users: db.collection<UserDocument>('users'),
    refreshTokens: db.collection<RefreshTokenDocument>('refresh_tokens')
  }
}

/** Idempotent; run at every start so a new database is ready before the first request. */
export async function ensureIndexes ({ songs, ratings, users, refreshTokens }: Collections): Promise<void> {
  await Promise.all([
    // The natural key: seeding twice, or from several servers at once, cannot duplicate a song.
    songs.createIndex({ artist: 1, title: 1 }, { unique: true, name: 'artist_title_unique' }),
    // Equality on one prefix, then `_id` order: a search page is a bounded index range scan.
    songs.createIndex({ search_prefixes: 1, _id: 1 }, { name: 'search_prefixes_id' }),
    ratings.createIndex({ song_id: 1 }, { name: 'song_id' }),
    // Accounts: one account per lower-case name; a rotation's successor once per family; a user's tokens revoked at once.
    users.createIndex({ username: 1 }, { unique: true, name: 'username_unique' }),
    refreshTokens.createIndex({ family: 1, generation: 1 }, { unique: true, name: 'family_generation_unique' }),
    refreshTokens.createIndex({ user_id: 1 }, { name: 'user_id' })
  ])
}
