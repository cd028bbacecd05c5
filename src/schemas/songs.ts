import { Type } from 'typebox'
import { CURSOR_PATTERN } from '../lib/cursor.ts'
import { SONG_LIST_CURSOR_PATTERN } from '../lib/song-list-cursor.ts'
import { ref } from './ref.ts'

/** Levels are small whole numbers; the bound also keeps Infinity and huge numbers out of queries. */
export const MAX_LEVEL = 1000

/** Difficulties are small too; the bound keeps the per-level sums finite. */
export const MAX_DIFFICULTY = 1000

/** A song's own fields, as seed files, imports and the admin routes give them. */
export const songFields = {
  artist: Type.String({ minLength: 1, maxLength: 200, description: 'Compared exactly (case and spaces count) for the one-song-per-artist-and-title rule.' }),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  difficulty: Type.Number({ minimum: 0, maximum: MAX_DIFFICULTY }),
  level: Type.Integer({ minimum: 1, maximum: MAX_LEVEL }),
  // A calendar date (RFC 3339 full-date): 2024-02-29 is one, 2023-02-29 and 2024-02-31 are not.
  released: Type.String({ format: 'date', description: 'Release date, `YYYY-MM-DD`.' })
}

export const ObjectIdString = Type.String({ pattern: '^[0-9a-f]{24}$', description: 'The song\'s id: a 24-character hexadecimal ObjectId.' })

export const Song = Type.Object({
  id: ObjectIdString,
  artist: Type.String(),
  title: Type.String(),
  difficulty: Type.Number({ minimum: 0 }),
  level: Type.Integer({ minimum: 1, maximum: MAX_LEVEL }),
  released: Type.String({ format: 'date', description: 'Release date, `YYYY-MM-DD`.' })
}, { $id: 'Song', additionalProperties: false })

export const SongInput = Type.Object(songFields, { $id: 'SongInput', additionalProperties: false })

export const SongPatch = Type.Partial(Type.Object(songFields), {
  $id: 'SongPatch',
  additionalProperties: false,
  minProperties: 1,
  description: 'Any non-empty subset of the song\'s fields.'
})

export const SongIdParams = Type.Object({ song_id: ObjectIdString })

export const SongRating = Type.Object({
  average: Type.Union([Type.Number({ minimum: 1, maximum: 5 }), Type.Null()], { description: 'The average of the song\'s ratings, as `GET /songs/avg/rating/{song_id}` answers it; `null` before the first.' }),
  count: Type.Integer({ minimum: 0, description: 'How many ratings the song has.' })
}, { $id: 'SongRating', additionalProperties: false })

export const SongListItem = Type.Object({
  ...Song.properties,
  rating: ref(SongRating),
  my_rating: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()], {
    description: 'With a bearer token only: the caller\'s own stars for the song, `null` when they have not rated it.'
  }))
}, { $id: 'SongListItem', additionalProperties: false })

export const SongPage = Type.Object({
  items: Type.Array(ref(SongListItem)),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` to get the next page; `null` on the last page.' })
}, { $id: 'SongPage', additionalProperties: false })

/** `limit` and `cursor` of a paged route whose items are `things`. */
export function pageQuery (things: string) {
  return {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: `${things} per page: 1 to 100, 20 when omitted.` }),
    cursor: Type.Optional(Type.String({ pattern: CURSOR_PATTERN, description: 'The `next_cursor` of the previous page (16 base64url characters); omit for the first page.' }))
  }
}

const PageQuery = pageQuery('Songs')

const LevelFilter = Type.Integer({ minimum: 1, maximum: MAX_LEVEL, description: `Only songs of this level, 1 to ${MAX_LEVEL}; every level when omitted.` })

export const ListSongsQuery = Type.Object({
  level: Type.Optional(LevelFilter),
  sort: Type.Unsafe<'id' | 'difficulty'>({
    type: 'string',
    enum: ['id', 'difficulty'],
    default: 'id',
    description: '`id`: a stable order, newest songs last (the default). `difficulty`: easiest first, songs of the same difficulty by id.'
  }),
  ...PageQuery,
  cursor: Type.Optional(Type.String({
    pattern: SONG_LIST_CURSOR_PATTERN,
    description: 'The `next_cursor` of the previous page, with the same `level` and `sort` (another is a 400 `CURSOR_MISMATCH`); omit for the first page.'
  }))
}, { additionalProperties: false })

export const SearchSongsQuery = Type.Object({
  message: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: '[\\p{L}\\p{N}]',
    description: 'Words to find, 1 to 100 characters with at least one letter or digit; each word must start a word of the artist or title. Case, accents and punctuation are ignored.'
  }),
  // The level of the example search's song (Alabama Sunrise), so that trying the example finds it.
  level: Type.Optional({ ...LevelFilter, examples: [6] }),
  ...PageQuery
}, { additionalProperties: false })

export const DifficultyQuery = Type.Object({
  level: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LEVEL, description: `Only songs of this level, 1 to ${MAX_LEVEL}; the whole catalog when omitted.` }))
}, { additionalProperties: false })

export const DifficultyAverage = Type.Object({
  average_difficulty: Type.Union([Type.Number(), Type.Null()], { description: '`null` when no song matches.' }),
  songs: Type.Integer({ minimum: 0, description: 'How many songs the average covers.' }),
  level: Type.Union([Type.Integer(), Type.Null()], { description: 'The level asked for, or `null` for the whole catalog.' })
}, { $id: 'DifficultyAverage', additionalProperties: false })
