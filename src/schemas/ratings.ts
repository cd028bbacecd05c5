import { Type } from 'typebox'
import { STARS } from '../lib/stars.ts'
import { ref } from './ref.ts'
import { ObjectIdString, pageQuery } from './songs.ts'

export const RatingInput = Type.Object({
  song_id: ObjectIdString,
  rating: Type.Integer({ minimum: 1, maximum: 5, description: 'Whole stars, 1–5.' })
}, { $id: 'RatingInput', additionalProperties: false })

export const RatingSummary = Type.Object({
  song_id: ObjectIdString,
  average: Type.Union([Type.Number(), Type.Null()]),
  lowest: Type.Union([Type.Integer(), Type.Null()]),
  highest: Type.Union([Type.Integer(), Type.Null()]),
  count: Type.Integer({ minimum: 0 }),
  distribution: Type.Object(
    Object.fromEntries(STARS.map(stars => [`${stars}`, Type.Integer({ minimum: 0 })])),
    { additionalProperties: false, description: 'How many ratings gave each number of stars, `"1"` to `"5"`; they add up to `count`.' }
  )
}, { $id: 'RatingSummary', additionalProperties: false })

export const UserRating = Type.Object({
  song_id: ObjectIdString,
  rating: Type.Integer({ minimum: 1, maximum: 5, description: 'Whole stars, 1–5.' }),
  rated_at: Type.String({ format: 'date-time', description: 'When the caller last rated the song.' })
}, { $id: 'UserRating', additionalProperties: false })

export const UserRatingPage = Type.Object({
  items: Type.Array(ref(UserRating)),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` to get the next page; `null` on the last page.' })
}, { $id: 'UserRatingPage', additionalProperties: false })

export const UserRatingsQuery = Type.Object(pageQuery('Ratings'), { additionalProperties: false })

export const RatingHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({
    minLength: 1,
    maxLength: 200,
    pattern: '^[\\x21-\\x7E]+$',
    description: 'Makes retries safe: a retry with the same key and body gets the first answer and counts once; ' +
      'the same key with another body is a 422. Printable ASCII without spaces, 1–200 characters (a UUID fits); ' +
      'kept for `IDEMPOTENCY_TTL_SECONDS` (default 24 hours).'
  }))
})
