import { createHash, randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import { ObjectId } from 'mongodb'
import type { Collections } from '../../db/collections.ts'
import type { RefreshTokenDocument } from '../../db/documents.ts'
import { insertUnlessDuplicate } from '../../db/unique-writes.ts'
import { bounds } from '../../db/deadline.ts'

export type RefreshTokensRepository = ReturnType<typeof refreshTokensRepository>

declare module 'fastify' {
  interface FastifyInstance {
    refreshTokensRepository: RefreshTokensRepository
  }
}

// 256 random bits: unguessable, so a fast hash (SHA-256) is enough to store them; no salt or slow hash is needed.
const TOKEN_BYTES = 32

function digest (token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/**
 * Refresh tokens: handed out once, stored only as their SHA-256. A token is exchanged (rotated) at most once;
 * presenting an exchanged one again means it was copied, and every token of its user is revoked.
 */
export function refreshTokensRepository ({ refreshTokens }: Collections, { ttlSeconds, maxTimeMS }: { ttlSeconds: number, maxTimeMS: number }) {
  // The TTL index removes a token up to a minute after it expires; until then it is refused here.
  const fresh = () => ({ $gt: new Date(Date.now() - ttlSeconds * 1000) })

  /** Stores a new token of the family; null when that generation exists already (a racing rotation won). */
  async function insert (userId: ObjectId, sessionVersion: number, family: ObjectId, generation: number): Promise<string | null> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url')
    const document: RefreshTokenDocument = { _id: digest(token), user_id: userId, family, generation, session_version: sessionVersion, created_at: new Date() }
    return await insertUnlessDuplicate(refreshTokens, document, maxTimeMS) ? token : null
  }

  // Revoked tokens are marked, not deleted: a family's generations stay taken, so a rotation that was racing the
  // revocation cannot insert a successor afterwards.
  const live = { rotated_at: { $exists: false }, revoked_at: { $exists: false } }
  const revoked = () => ({ $set: { revoked_at: new Date() } })

  async function revokeAll (userId: ObjectId): Promise<number> {
    return (await refreshTokens.updateMany({ user_id: userId, revoked_at: { $exists: false } }, revoked(), bounds(maxTimeMS))).modifiedCount
  }

  return {
    /** A new token for a sign-in (or a password change) under the user's `sessionVersion`: the first of a new family. */
    async issue (userId: ObjectId, sessionVersion: number): Promise<string> {
      return (await insert(userId, sessionVersion, new ObjectId(), 0))!
    },

    /**
     * Exchanges `token` for its successor: `{ userId, sessionVersion, token }`, or null when it is unknown, expired, revoked or
     * already exchanged — and in that last case (reuse) every live token of its user is revoked. One conditional
     * update claims the token, so of two racing exchanges only one can; the unique `{family, generation}` index
     * also lets only one successor in, on servers whose updates are not atomic (FerretDB). Whether
     * `sessionVersion` is still the user's is for the caller to check, with the user.
     */
    async rotate (token: string): Promise<{ userId: ObjectId, sessionVersion: number, token: string } | null> {
      const _id = digest(token)
      const claimed = await refreshTokens.findOneAndUpdate(
        { _id, ...live, created_at: fresh() },
        { $set: { rotated_at: new Date() } },
        bounds(maxTimeMS)
      )
      if (claimed) {
        const sessionVersion = claimed.session_version ?? 0
        const successor = await insert(claimed.user_id, sessionVersion, claimed.family, claimed.generation + 1)
        // A reuse of `token` detected while the successor was being stored revoked `token` but maybe not yet the
        // successor: look once more, so that the successor cannot outlive the revocation.
        if (successor && !(await refreshTokens.findOne({ _id }, { projection: { revoked_at: 1 }, ...bounds(maxTimeMS) }))?.revoked_at) {
          return { userId: claimed.user_id, sessionVersion, token: successor }
        }
        await revokeAll(claimed.user_id)
        return null
      }
      // A reuse revokes `token` itself first, on its own, and only then the user's other tokens. `revokeAll` is one
      // `updateMany`, which may miss a document inserted while it runs (MongoDB's scan yields; a PostgreSQL-based
      // engine updates what its statement's snapshot holds), so a successor stored by a racing exchange could be
      // missed. Ordered so, either that exchange's second look sees `token` revoked and revokes all itself, or it
      // looked before this revocation, so its successor was stored before `revokeAll` began and is revoked with the rest.
      // No projection: FerretDB 1 does not implement one on findAndModify (NotImplemented).
      const reused = await refreshTokens.findOneAndUpdate({ _id, rotated_at: { $exists: true }, revoked_at: { $exists: false }, created_at: fresh() }, revoked(), bounds(maxTimeMS))
      if (reused) await revokeAll(reused.user_id)
      return null
    },

    /** Revokes `token` (sign-out): the id of its user; null, and nothing done, when it is not there or revoked already. */
    async revoke (token: string): Promise<ObjectId | null> {
      // No projection: FerretDB 1 does not implement one on findAndModify (NotImplemented).
      const document = await refreshTokens.findOneAndUpdate({ _id: digest(token), revoked_at: { $exists: false } }, revoked(), bounds(maxTimeMS))
      return document?.user_id ?? null
    },

    revokeAll
  }
}

export default fp(async function refreshTokensRepositoryPlugin (fastify) {
  fastify.decorate('refreshTokensRepository', refreshTokensRepository(fastify.collections, { ttlSeconds: fastify.config.refreshTokenTtlSeconds, maxTimeMS: fastify.config.mongodbTimeoutMs }))
}, { name: 'refresh-tokens-repository', dependencies: ['database'] })
