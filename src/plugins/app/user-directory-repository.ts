import fp from 'fastify-plugin'
import { ObjectId, type Filter } from 'mongodb'
import type { Static } from 'typebox'
import type { Collections } from '../../db/collections.ts'
import type { UserDocument } from '../../db/documents.ts'
import { encodeTextCursor } from '../../lib/cursor.ts'
import { lastAdmin } from '../../lib/problems/accounts.ts'
import type { UserPage, UserPatch } from '../../schemas/user-directory.ts'
import type { User } from '../../schemas/users.ts'
import type { AccountDeletionRunner } from './account-deletions.ts'
import { ADMIN_ROLES, canonicalUsername, toUser, USER_ROLES } from './users-repository.ts'
import { bounds } from '../../db/deadline.ts'
import { readBatch } from '../../db/read-batch.ts'

export type UserDirectoryRepository = ReturnType<typeof userDirectoryRepository>

declare module 'fastify' {
  interface FastifyInstance {
    userDirectoryRepository: UserDirectoryRepository
  }
}

/** A `leaving` mark older than this belongs to a change that died half-way (every change ends within seconds): it no longer counts. */
const STALE_MARK_MS = 60_000

// Every name is ASCII, so this sorts after every name that starts with the prefix.
const AFTER_EVERY_NAME = '\uffff'

function isEnabledAdmin (user: UserDocument): boolean {
  return user.roles.includes('admin') && user.disabled !== true
}

/**
 * What admins do to accounts: pages of users in username order (ranges of the unique username index), and changes
 * and deletions that never leave the API without an enabled admin. A change that may take an admin away
 * (demotion, disabling, deletion) first marks its target `leaving`, then looks for an enabled admin other than the
 * target that is not marked; with none, it removes its mark and answers 409 `LAST_ADMIN`. Of two such changes at
 * once (two admins demoting each other), each marks before it looks, so the later look sees the other's mark or
 * its finished change: at most one goes through, never both.
 */
export function userDirectoryRepository ({ users }: Collections, deletions: AccountDeletionRunner, { maxTimeMS }: { maxTimeMS: number }) {
  async function anotherAdminStays (userId: ObjectId, now: Date): Promise<boolean> {
    const staying: Filter<UserDocument> = {
      _id: { $ne: userId },
      roles: 'admin',
      disabled: { $ne: true },
      $or: [{ leaving: { $exists: false } }, { 'leaving.since': { $lt: new Date(now.getTime() - STALE_MARK_MS) } }]
    }
    return await users.findOne(staying, { projection: { _id: 1 }, ...bounds(maxTimeMS) }) !== null
  }

  /** Runs `change` of an account that may lose its admin rights by it; null when there is no such account. */
  async function keepingAnAdmin<T> (userId: ObjectId, change: () => Promise<T>): Promise<T | null> {
    const leaving = { change: new ObjectId(), since: new Date() }
    // No projection on findAndModify: FerretDB 1 does not implement one there.
    const target = await users.findOneAndUpdate({ _id: userId }, { $set: { leaving } }, { returnDocument: 'after', ...bounds(maxTimeMS) })
    if (!target) return null
    if (isEnabledAdmin(target) && !await anotherAdminStays(userId, leaving.since)) {
      await users.updateOne({ _id: userId, 'leaving.change': leaving.change }, { $unset: { leaving: '' } }, bounds(maxTimeMS))
      throw lastAdmin()
    }
    return change()
  }

  return {
    /**
     * A page of users in username order, from after the cursor's name; with `prefix`, only names starting with it
     * (any case). Either way one bounded range of the username index.
     */
    async list (limit: number, after?: string, prefix?: string): Promise<Static<typeof UserPage>> {
      const start = prefix === undefined ? undefined : canonicalUsername(prefix)
      const range: { $gt?: string, $gte?: string, $lt?: string } = {}
      if (start !== undefined) Object.assign(range, { $gte: start, $lt: start + AFTER_EVERY_NAME })
      if (after !== undefined && (start === undefined || after >= start)) {
        delete range.$gte
        range.$gt = after
      }
      const docs = await readBatch(users, Object.keys(range).length > 0 ? { username: range } : {}, limit + 1, { projection: { password_hash: 0 }, sort: { username: 1 }, hint: { username: 1 }, ...bounds(maxTimeMS) })
      return {
        items: docs.slice(0, limit).map(toUser),
        next_cursor: docs.length > limit ? encodeTextCursor(docs[limit - 1]!.username) : null
      }
    },

    /**
     * Changes roles or `disabled`; the user after it, or null when there is none. Every account keeps `user`.
     * Disabling also raises the session version, so tokens issued before stay refused once it is enabled again.
     */
    async update (userId: ObjectId, { roles, disabled }: Static<typeof UserPatch>): Promise<Static<typeof User> | null> {
      const $set: Partial<UserDocument> = {}
      if (roles !== undefined) $set.roles = roles.includes('admin') ? ADMIN_ROLES : USER_ROLES
      if (disabled !== undefined) $set.disabled = disabled
      const apply = async (update: object) => {
        const user = await users.findOneAndUpdate({ _id: userId }, { $set, ...update }, { returnDocument: 'after', ...bounds(maxTimeMS) })
        return user && toUser(user)
      }
      const demotes = roles !== undefined && !roles.includes('admin')
      if (!demotes && disabled !== true) return apply({})
      return keepingAnAdmin(userId, () => apply({ $unset: { leaving: '' }, ...(disabled === true ? { $inc: { session_version: 1 } } : {}) }))
    },

    /** Deletes the account (`accountDeletions`); null when there is none. */
    async remove (userId: ObjectId): Promise<'done' | 'running' | null> {
      return keepingAnAdmin(userId, () => deletions.delete(userId))
    }
  }
}

export default fp(async function userDirectoryRepositoryPlugin (fastify) {
  fastify.decorate('userDirectoryRepository', userDirectoryRepository(fastify.collections, fastify.accountDeletions, { maxTimeMS: fastify.config.mongodbTimeoutMs }))
}, { name: 'user-directory-repository', dependencies: ['database', 'account-deletions'] })
