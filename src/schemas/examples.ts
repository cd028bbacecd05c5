import { ObjectId } from 'mongodb'
import type { Static } from 'typebox'
import { encodeCursor, encodeTextCursor } from '../lib/cursor.ts'
import { problem } from '../lib/problems/problem.ts'
import { forbidden, unauthorized } from '../lib/problems/accounts.ts'
import { songNotFound } from '../lib/problems/catalog.ts'
import { idempotencyKeyBusy, idempotencyKeyReused } from '../lib/problems/idempotency.ts'
import { rateLimited } from '../lib/problems/rate-limit.ts'
import { FRAMEWORK_PROBLEMS } from '../lib/problems/requests.ts'
import { DATABASE_UNAVAILABLE, INTERNAL_ERROR } from '../lib/problems/server.ts'
import type { AccountDeletion, AccountExport } from './account-data.ts'
import type { RefreshRequest, TokenPair } from './auth.ts'
import type { RatingInput, RatingSummary, UserRating } from './ratings.ts'
import type { DifficultyAverage, Song, SongInput, SongPage, SongPatch } from './songs.ts'
import type { UserPage, UserPatch } from './user-directory.ts'
import type { Credentials, PasswordChange, User } from './users.ts'

// Examples for the OpenAPI document: songs of seed/songs.json and what the API answers for them on a freshly
// seeded catalog. Ids are given when a database seeds itself, so these ones are only an example. The schemas
// know nothing of them: the document takes them from COMPONENT_EXAMPLES and PARAMETER_EXAMPLES below.

const songs = {
  lycanthropic: { id: '6b025787eb866bb1e551229d', artist: 'The Yousicians', title: 'Lycanthropic Metamorphosis', difficulty: 14.6, level: 13, released: '2016-10-26' },
  newKennel: { id: '6b025787eb866bb1e551229e', artist: 'The Yousicians', title: 'A New Kennel', difficulty: 9.1, level: 9, released: '2010-02-03' },
  alabamaSunrise: { id: '6b025787eb866bb1e55122a4', artist: 'The Yousicians', title: 'Alabama Sunrise', difficulty: 5, level: 6, released: '2016-04-01' }
}

export const songExample = songs.alabamaSunrise

export const SONG_ID_EXAMPLE = songExample.id

export const SEARCH_MESSAGE_EXAMPLE = 'ALABAMA sun'

export const LEVEL_EXAMPLE = 13

/** The seeded catalog has no rating yet. */
const unrated = { average: null, count: 0 }

export const songPageExample: Static<typeof SongPage> = {
  items: [{ ...songs.lycanthropic, rating: unrated }, { ...songs.newKennel, rating: unrated }],
  next_cursor: encodeCursor(ObjectId.createFromHexString(songs.newKennel.id))
}

export const searchResultExample: Static<typeof SongPage> = { items: [{ ...songs.alabamaSunrise, rating: unrated }], next_cursor: null }

export const difficultyAverageExample: Static<typeof DifficultyAverage> = { average_difficulty: 14.096, songs: 5, level: LEVEL_EXAMPLE }

export const ratingInputExample = { song_id: SONG_ID_EXAMPLE, rating: 4 }

export const ratingSummaryExample: Static<typeof RatingSummary> = {
  song_id: SONG_ID_EXAMPLE,
  average: 3.5,
  lowest: 3,
  highest: 4,
  count: 2,
  distribution: { 1: 0, 2: 0, 3: 1, 4: 1, 5: 0 }
}

/** A song that is not in the seed catalog, as an admin adds it. */
export const songInputExample = { artist: 'The Yousicians', title: 'Northern Lights', difficulty: 7.5, level: 8, released: '2024-03-15' }

export const songPatchExample = { difficulty: 8.25, level: 9 }

export const userRatingExample = { song_id: SONG_ID_EXAMPLE, rating: 4, rated_at: '2026-11-22T13:45:00.000Z' }

export const userRatingPageExample = {
  items: [userRatingExample, { song_id: songs.newKennel.id, rating: 2, rated_at: '2026-11-21T18:02:11.000Z' }],
  // The cursor of a newest-first page is the order of its last rating, as for songs an ObjectId.
  next_cursor: encodeCursor(ObjectId.createFromHexString('6b0261b4eb866bb1e55122c1'))
}

// Accounts: an example user and the tokens a sign-in answers (signed with an example secret, long expired).

export const credentialsExample = { username: 'alice', password: 'correct horse battery staple' }

export const passwordChangeExample = { current_password: credentialsExample.password, new_password: 'staple battery horse correct' }

export const userExample = { id: '6b0257a1eb866bb1e55122b0', username: 'alice', roles: ['user' as const], created_at: '2026-11-22T09:00:00.000Z', disabled: false }

export const tokenPairExample = {
  access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjZmOTQ3NDYwMDFmYWFmZmQifQ.eyJzdWIiOiI2YjAyNTdhMWViODY2YmIxZTU1MTIyYjAiLCJzZXNzaW9uX3ZlcnNpb24iOjAsImlhdCI6MTc5NTg1NjQwMCwiZXhwIjoxNzk1ODU3MzAwfQ.7FKpRAO_bvBIPSsp6XunQs8hDlKuTT_p0gOvNxuKr7c',
  token_type: 'Bearer' as const,
  expires_in: 900,
  refresh_token: 'q1j2ercBBWtPwHp3J7PAMd9gl53zkX53cibyFFhEFdQ'
}

/** One example problem per status the routes document (400 examples are per route). */
export const problemExamples = {
  401: unauthorized(true).problem,
  403: forbidden().problem,
  404: songNotFound(SONG_ID_EXAMPLE).problem,
  409: idempotencyKeyBusy().problem,
  413: problem(413, ...FRAMEWORK_PROBLEMS.FST_ERR_CTP_BODY_TOO_LARGE!),
  415: problem(415, ...FRAMEWORK_PROBLEMS.FST_ERR_CTP_INVALID_MEDIA_TYPE!),
  422: idempotencyKeyReused().problem,
  429: rateLimited('1 minute').problem,
  500: INTERNAL_ERROR,
  503: DATABASE_UNAVAILABLE
}

// Admins and account data: a second user, a page of users, a change, and what an export holds.

export const adminExample = { id: '6b0257a1eb866bb1e55122af', username: 'root', roles: ['user' as const, 'admin' as const], created_at: '2026-11-22T08:30:00.000Z', disabled: false }

const bobExample = { id: '6b0257a1eb866bb1e55122b1', username: 'bob', roles: ['user' as const], created_at: '2026-11-22T09:10:00.000Z', disabled: true }

export const userPageExample = {
  items: [userExample, bobExample],
  // A users page follows the username index: its cursor is the page's last name.
  next_cursor: encodeTextCursor(bobExample.username)
}

export const userPatchExample = { disabled: true }

export const accountDeletionExample = { password: credentialsExample.password }

export const accountExportExample = { account: userExample, ratings: userRatingPageExample.items }

/** The example of each shared schema, by its `$id`, as the OpenAPI document's components show it. */
export const COMPONENT_EXAMPLES = {
  Song: songExample,
  SongInput: songInputExample,
  SongPatch: songPatchExample,
  RatingInput: ratingInputExample,
  UserRating: userRatingExample,
  Credentials: credentialsExample,
  PasswordChange: passwordChangeExample,
  User: userExample,
  TokenPair: tokenPairExample,
  RefreshRequest: { refresh_token: tokenPairExample.refresh_token },
  UserPage: userPageExample,
  UserPatch: userPatchExample,
  AccountDeletion: accountDeletionExample,
  AccountExport: accountExportExample
} satisfies {
  Song: Static<typeof Song>,
  SongInput: Static<typeof SongInput>,
  SongPatch: Static<typeof SongPatch>,
  RatingInput: Static<typeof RatingInput>,
  UserRating: Static<typeof UserRating>,
  Credentials: Static<typeof Credentials>,
  PasswordChange: Static<typeof PasswordChange>,
  User: Static<typeof User>,
  TokenPair: Static<typeof TokenPair>,
  RefreshRequest: Static<typeof RefreshRequest>,
  UserPage: Static<typeof UserPage>,
  UserPatch: Static<typeof UserPatch>,
  AccountDeletion: Static<typeof AccountDeletion>,
  AccountExport: Static<typeof AccountExport>
}

/** The example of each path and query parameter, by its name, for Swagger UI's "Try it out". */
export const PARAMETER_EXAMPLES: Record<string, unknown> = {
  song_id: SONG_ID_EXAMPLE,
  message: SEARCH_MESSAGE_EXAMPLE,
  level: LEVEL_EXAMPLE,
  user_id: adminExample.id,
  username: 'al'
}
