import fp from 'fastify-plugin'
import { ObjectId } from 'mongodb'
import type { Static } from 'typebox'
import { insertUnlessDuplicate, type Collections, type UserDocument } from '../../db/collections.ts'
import type { User } from '../../schemas/users.ts'
import type { PasswordManager } from './password-manager.ts'

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

/** Names are stored lower-case; the schemas allow ASCII only, so this is exact. */
export function canonicalUsername (username: string): string {
  return username.toLowerCase()
}

/**
 * Every query on accounts: point reads by `_id` or by the unique lower-case username. Password hashes come in
 * and out of here only as far as the password manager; what leaves is a `User`, without one.
 */
export function usersRepository ({ users }: Collections, passwords: PasswordManager, { maxTimeMS }: { maxTimeMS: number }) {
  const byName = (username: string) => users.findOne({ username: canonicalUsername(username) }, { maxTimeMS })

  /** The new user; null when the name is taken (the unique index decides, so racing sign-ups cannot both win). */
  async function create (username: string, password: string, roles = USER_ROLES): Promise<Static<typeof User> | null> {
    const user: UserDocument = { _id: new ObjectId(), username: canonicalUsername(username), password_hash: await passwords.hash(password), roles, created_at: new Date() }
    return await insertUnlessDuplicate(users, user) ? toUser(user) : null
  }

  /** The user whose password this is; null for a wrong password or an unknown name, after the same work. */
  async function signIn (username: string, password: string): Promise<Static<typeof User> | null> {
    const user = await byName(username)
    const valid = user ? await passwords.verify(user.password_hash, password) : await passwords.verifyUnknown(password)
    return user && valid ? toUser(user) : null
  }

  return {
    create,
    signIn,

    async findById (id: ObjectId): Promise<Static<typeof User> | null> {
      const user = await users.findOne({ _id: id }, { projection: { password_hash: 0 }, maxTimeMS })
      return user ? toUser(user) : null
    },

    /** Whether the user still exists: the one read an authenticated request costs, by `_id` and covered by it. */
    async exists (id: ObjectId): Promise<boolean> {
      return await users.findOne({ _id: id }, { projection: { _id: 1 }, maxTimeMS }) !== null
    },

    /** Whether `password` is the user's (false for a user that is gone, after the same work): confirms an account's deletion. */
    async verifyPassword (id: ObjectId, password: string): Promise<boolean> {
      const user = await users.findOne({ _id: id }, { projection: { password_hash: 1 }, maxTimeMS })
      return user ? passwords.verify(user.password_hash, password) : passwords.verifyUnknown(password)
    },

    /**
     * Makes `username` an admin: creates it with the admin roles, or, when it exists and `password` is its
     * password, adds `admin` to its roles. Null when it exists with another password.
     */
    async makeAdmin (username: string, password: string): Promise<{ user: Static<typeof User>, created: boolean } | null> {
      const created = await create(username, password, ADMIN_ROLES)
      if (created) return { user: created, created: true }
      const user = await signIn(username, password)
      if (!user) return null
      const updated = await users.findOneAndUpdate({ _id: ObjectId.createFromHexString(user.id) }, { $addToSet: { roles: 'admin' } }, { returnDocument: 'after', maxTimeMS })
      return updated ? { user: toUser(updated), created: false } : null
    }
  }
}

export default fp(async function usersRepositoryPlugin (fastify) {
  fastify.decorate('usersRepository', usersRepository(fastify.collections, fastify.passwordManager, { maxTimeMS: fastify.config.mongodbTimeoutMs }))
}, { name: 'users-repository', dependencies: ['database', 'password-manager'] })
