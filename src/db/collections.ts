import type { Collection, Db } from 'mongodb'
import type { AccountDeletionDocument, IdempotencyKeyDocument, LevelStatsDocument, RatingDocument, RefreshTokenDocument, SearchTermDocument, SongDocument, UserDocument, UserRatingDocument } from './documents.ts'

export interface Collections {
  songs: Collection<SongDocument>
  searchTerms: Collection<SearchTermDocument>
  ratings: Collection<RatingDocument>
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
    searchTerms: db.collection<SearchTermDocument>('search_terms'),
    ratings: db.collection<RatingDocument>('ratings'),
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
