import { Type } from 'typebox'
import { CURSOR_PATTERN } from '../lib/cursor.ts'
import { ref } from './ref.ts'

/** Levels are small whole numbers; the bound also keeps Infinity and huge numbers out of queries. */
export const MAX_LEVEL = 1000

export const ObjectIdString = Type.String({ pattern: '^[0-9a-f]{24}$', description: 'A 24-character hexadecimal ObjectId.' })

export const Song = Type.Object({
  id: ObjectIdString,
  artist: Type.String(),
  title: Type.String(),
  difficulty: Type.Number({ minimum: 0 }),
  level: Type.Integer({ minimum: 1, maximum: MAX_LEVEL }),
  released: Type.String({ format: 'date', description: 'Release date, `YYYY-MM-DD`.' })
}, { $id: 'Song', additionalProperties: false })

export const SongPage = Type.Object({
  items: Type.Array(ref(Song)),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` to get the next page; `null` on the last page.' })
}, { $id: 'SongPage', additionalProperties: false })

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Songs per page, 1–100.' }),
  cursor: Type.Optional(Type.String({ pattern: CURSOR_PATTERN, description: 'The `next_cursor` of the previous page.' }))
}

export const ListSongsQuery = Type.Object(PageQuery, { additionalProperties: false })

export const SearchSongsQuery = Type.Object({
  message: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: '[\\p{L}\\p{N}]',
    description: 'Words to find; each must start a word of the artist or title. Case, accents and punctuation are ignored.'
  }),
  ...PageQuery
}, { additionalProperties: false })

export const DifficultyQuery = Type.Object({
  level: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LEVEL, description: 'Only songs of this level.' }))
}, { additionalProperties: false })

export const DifficultyAverage = Type.Object({
  average_difficulty: Type.Union([Type.Number(), Type.Null()], { description: '`null` when no song matches.' }),
  songs: Type.Integer({ minimum: 0, description: 'How many songs the average covers.' }),
  level: Type.Union([Type.Integer(), Type.Null()], { description: 'The level asked for, or `null` for the whole catalog.' })
}, { $id: 'DifficultyAverage', additionalProperties: false })
