import type { Collections } from './collections.ts'
import { retryingTransient } from './retry-transient.ts'

/**
 * Idempotent; run at every start so a new database is ready before the first request. One index after another:
 * created at once, a PostgreSQL-based engine (DocumentDB) can answer one of them "deadlock detected" (3 of 20 new
 * databases there; 0 of 20 one after another). A transient refusal is retried a few times with backoff.
 */
export async function ensureIndexes ({ songs, ratings, userRatings, users, refreshTokens, accountDeletions }: Collections): Promise<void> {
  const indexes: Array<() => Promise<string>> = [
    // The natural key: seeding twice, or from several servers at once, cannot duplicate a song.
    () => songs.createIndex({ artist: 1, title: 1 }, { unique: true, name: 'artist_title_unique' }),
    () => ratings.createIndex({ song_id: 1 }, { name: 'song_id' }),
    // Songs whose ratings have journaled changes left behind, oldest first, for the recovery pass.
    () => songs.createIndex({ 'rating.pending.at': 1 }, { name: 'rating_pending_at' }),
    // Catalog: one rating per user and song; a user's ratings newest first; a song's ratings (delete, reconcile).
    () => userRatings.createIndex({ user_id: 1, song_id: 1 }, { unique: true, name: 'user_id_song_id_unique' }),
    () => userRatings.createIndex({ user_id: 1, order: -1 }, { name: 'user_id_order' }),
    () => userRatings.createIndex({ song_id: 1 }, { name: 'song_id' }),
    // Accounts: one account per lower-case name; a rotation's successor once per family; a user's tokens revoked at once.
    () => users.createIndex({ username: 1 }, { unique: true, name: 'username_unique' }),
    () => refreshTokens.createIndex({ family: 1, generation: 1 }, { unique: true, name: 'family_generation_unique' }),
    () => refreshTokens.createIndex({ user_id: 1 }, { name: 'user_id' }),
    // Admins: the admins that stay when one may leave (a few documents of millions); deletion jobs whose lease ran out.
    () => users.createIndex({ roles: 1 }, { name: 'roles' }),
    () => accountDeletions.createIndex({ lease_until: 1 }, { name: 'lease_until' })
  ]
  for (const create of indexes) await retryingTransient(create)
}
