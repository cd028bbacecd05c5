import { Readable } from 'node:stream'
import fp from 'fastify-plugin'
import type { FindCursor, ObjectId } from 'mongodb'
import type { Static } from 'typebox'
import type { Collections } from '../../db/collections.ts'
import type { UserRatingDocument } from '../../db/documents.ts'
import type { User } from '../../schemas/users.ts'
import { toUserRating } from './ratings-repository.ts'
import type { UsersRepository } from './users-repository.ts'

export type AccountExportRepository = ReturnType<typeof accountExportRepository>

declare module 'fastify' {
  interface FastifyInstance {
    accountExportRepository: AccountExportRepository
  }
}

/** Ratings the driver fetches per round trip, and about how many go out in one chunk: what an export holds in memory. */
const EXPORT_BATCH = 500

/** `{"account": …, "ratings": [ … ]}` as text, a chunk at a time, read from the cursor as the response is sent. */
async function * exportText (account: Static<typeof User>, ratings: FindCursor<Pick<UserRatingDocument, 'song_id' | 'rating' | 'rated_at'>>): AsyncGenerator<string> {
  yield `{"account":${JSON.stringify(account)},"ratings":[`
  let chunk: string[] = []
  let first = true
  for await (const rating of ratings) {
    chunk.push(JSON.stringify(toUserRating(rating)))
    if (chunk.length >= EXPORT_BATCH) {
      yield (first ? '' : ',') + chunk.join(',')
      first = false
      chunk = []
    }
  }
  if (chunk.length > 0) yield (first ? '' : ',') + chunk.join(',')
  yield ']}'
}

/**
 * A user's data as they can take it away (GDPR Art. 15 and 20): the account as `GET /users/me` answers it and every
 * rating of the user, newest first (the `{user_id, order}` index walked in order). The ratings are streamed from a
 * cursor into the response, so an account with 100,000 ratings costs a batch of memory, not all of them. Never a
 * hash or a token: the account is a `User` and a rating a `UserRating`.
 */
export function accountExportRepository ({ userRatings }: Collections, users: Pick<UsersRepository, 'findById'>, { maxTimeMS }: { maxTimeMS: number }) {
  return {
    /** The export as a stream of JSON text; null when the user is gone. */
    async open (userId: ObjectId): Promise<Readable | null> {
      const account = await users.findById(userId)
      if (!account) return null
      const ratings = userRatings
        .find({ user_id: userId }, { projection: { _id: 0, song_id: 1, rating: 1, rated_at: 1 }, batchSize: EXPORT_BATCH, maxTimeMS })
        .sort({ order: -1 })
      // An abandoned response destroys the stream, which ends the generator and so closes the cursor.
      return Readable.from(exportText(account, ratings), { objectMode: false })
    }
  }
}

export default fp(async function accountExportRepositoryPlugin (fastify) {
  fastify.decorate('accountExportRepository', accountExportRepository(fastify.collections, fastify.usersRepository, { maxTimeMS: fastify.config.mongodbTimeoutMs }))
}, { name: 'account-export-repository', dependencies: ['database', 'users-repository'] })
