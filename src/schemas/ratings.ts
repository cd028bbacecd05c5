import { Type } from 'typebox'
import { ratingInputExample } from './examples.ts'
import { ObjectIdString } from './songs.ts'

export const RatingInput = Type.Object({
  song_id: ObjectIdString,
  rating: Type.Integer({ minimum: 1, maximum: 5, description: 'Whole stars, 1–5.' })
}, { $id: 'RatingInput', additionalProperties: false, examples: [ratingInputExample] })

export const RatingSummary = Type.Object({
  song_id: ObjectIdString,
  average: Type.Union([Type.Number(), Type.Null()]),
  lowest: Type.Union([Type.Integer(), Type.Null()]),
  highest: Type.Union([Type.Integer(), Type.Null()]),
  count: Type.Integer({ minimum: 0 })
}, { $id: 'RatingSummary', additionalProperties: false })

export const SongIdParams = Type.Object({ song_id: ObjectIdString })

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
