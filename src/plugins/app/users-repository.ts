import fp from 'fastify-plugin'
import { ObjectId } from 'mongodb'
import type { Static } from 'typebox'
import type { Collections } from '../../db/collections.ts'
import type { UserDocument } from '../../db/documents.ts'
import { insertUnlessDuplicate } from '../../db/unique-writes.ts'
import type { User } from '../../schemas/users.ts'
import type { PasswordManager } from './password-manager.ts'
import { bounds } from '../../db/deadline.ts'

export type UsersRepository = ReturnType<typeof usersRepository>

declare module 'fastify' {
  interface FastifyInstance {
    usersRepository: UsersRepository
  }
}

export const USER_ROLES = ['user']
export const ADMIN_ROLES = ['user', 'admin']

export function toUser (doc: UserDocument): Static<typeof User> {
  return { id: doc._id.toHexString(), username: doc.username, roles: doc.roles as Static<typeof User>['roles'], created_at: doc.created_at.toISOString(), disabled: doc.disabled ?? false }
}

/** What decides whether a user's tokens are accepted and what they may do: read at every authenticated request. */
export interface Access {
  roles: string[]
  disabled: boolean
  /** Tokens issued under another version are refused (see `UserDocument.session_version`). */
  sessionVersion: number
}

function accessOf (doc: Pick<UserDocument, 'roles' | 'disabled' | 'session_version'>): Access {
  return { roles: doc.roles, disabled: doc.disabled ?? false, sessionVersion: doc.session_version ?? 0 }
}

/** Names are stored lower-case; the schemas allow ASCII only, so this is exact. */
export function canonicalUsername (username: string): string {
  return username.toLowerCase()
}

/**
 * Every query on accounts: point reads and writes by `_id` or by the unique lower-case username. Password hashes
 * come in and out of here only as far as the password manager; what leaves is a `User`, without one.
 */
export function usersRepository ({ users }: Collections, passwords: PasswordManager, { maxTimeMS }: { maxTimeMS: number }) {
  const byName = (username: string) => users.findOne({ username: canonicalUsername(username) }, bounds(maxTimeMS))

  /** The new user; null when the name is taken (the unique index decides, so racing sign-ups cannot both win). */
  async function create (username: string, password: string, roles = USER_ROLES): Promise<Static<typeof User> | null> {
    const user: UserDocument = { _id: new ObjectId(), username: canonicalUsername(username), password_hash: await passwords.hash(password), roles, created_at: new Date() }
    return await insertUnlessDuplicate(users, user, maxTimeMS) ? toUser(user) : null
  }

  /**
   * The user whose password this is, disabled or not, with the session version its tokens get; null for a wrong
   * password or an unknown name, after the same work.
   */
  async function signIn (username: string, password: string): Promise<{ user: Static<typeof User>, sessionVersion: number } | null> {
    const user = await byName(username)
    const valid = user ? await passwords.verify(user.password_hash, password) : await passwords.verifyUnknown(password)
    return user && valid ? { user: toUser(user), sessionVersion: accessOf(user).sessionVersion } : null
  }

  // Every token of the user carries or records the version it was issued under: one more refuses them all.
  const endingSessions = { $inc: { session_version: 1 } }

  return {
    create,
    signIn,

    async findById (id: ObjectId): Promise<Static<typeof User> | null> {
      const user = await users.findOne({ _id: id }, { projection: { password_hash: 0 }, ...bounds(maxTimeMS) })
      return user ? toUser(user) : null
    },

    /**
     * What the user's tokens may do now; null when the user is gone. The one read an authenticated request costs:
     * by `_id`, returning only the fields that decide access.
     */
    async access (id: ObjectId): Promise<Access | null> {
      const user = await users.findOne({ _id: id }, { projection: { _id: 0, roles: 1, disabled: 1, session_version: 1 }, ...bounds(maxTimeMS) })
      return user ? accessOf(user) : null
    },

    /**
     * Replaces the password when `currentPassword` is the user's, and ends every session: the new session version,
     * or null for a wrong password or a user that is gone. The update is conditional on the hash that was checked,
     * so of two changes racing with the same current password only one applies; the other is a wrong password.
     */
    async changePassword (id: ObjectId, currentPassword: string, newPassword: string): Promise<number | null> {
      const user = await users.findOne({ _id: id }, { projection: { password_hash: 1 }, ...bounds(maxTimeMS) })
      if (!user || !await passwords.verify(user.password_hash, currentPassword)) return null
      const updated = await users.findOneAndUpdate(
        { _id: id, password_hash: user.password_hash },
        { $set: { password_hash: await passwords.hash(newPassword) }, ...endingSessions },
        // No projection: FerretDB 1 does not implement one on findAndModify. Only the version leaves this function.
        { returnDocument: 'after', ...bounds(maxTimeMS) }
      )
      // Present once `$inc` has run.
      return updated?.session_version ?? null
    },

    /** Refuses every access and refresh token the user holds, on every instance; false when the user is gone. */
    async endAllSessions (id: ObjectId): Promise<boolean> {
      return (await users.updateOne({ _id: id }, endingSessions, bounds(maxTimeMS))).matchedCount === 1
    },

    /** Whether `password` is the user's (false for a user that is gone, after the same work): confirms an account's deletion. */
    async verifyPassword (id: ObjectId, password: string): Promise<boolean> {
      const user = await users.findOne({ _id: id }, { projection: { password_hash: 1 }, ...bounds(maxTimeMS) })
      return user ? passwords.verify(user.password_hash, password) : passwords.verifyUnknown(password)
    },

    /**
     * Makes `username` an admin: creates it with the admin roles, or, when it exists and `password` is its
     * password, adds `admin` to its roles. Null when it exists with another password.
     */
    async makeAdmin (username: string, password: string): Promise<{ user: Static<typeof User>, created: boolean } | null> {
      const created = await create(username, password, ADMIN_ROLES)
      if (created) return { user: created, created: true }
      const signedIn = await signIn(username, password)
      if (!signedIn) return null
      const updated = await users.findOneAndUpdate({ _id: ObjectId.createFromHexString(signedIn.user.id) }, { $addToSet: { roles: 'admin' } }, { returnDocument: 'after', ...bounds(maxTimeMS) })
      return updated ? { user: toUser(updated), created: false } : null
    }
  }
}

export default fp(async function usersRepositoryPlugin (fastify) {
  fastify.decorate('usersRepository', usersRepository(fastify.collections, fastify.passwordManager, { maxTimeMS: fastify.config.mongodbTimeoutMs }))
}, { name: 'users-repository', dependencies: ['database', 'password-manager'] })
