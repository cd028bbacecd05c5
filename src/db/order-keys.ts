import type { SongListOrder, SongListPosition } from '../lib/song-list-cursor.ts'

/*
 * A song's order keys: term prefixes (src/db/search-terms.ts) that start with "=", which no search word does, one
 * per order the list offers, so that each order is one `_id` range of `search_terms` in that order: the one index
 * every engine walks in order with a limit (a PostgreSQL-based engine's other indexes return no order: it sorts every
 * match of a level there). Fixed-width fields sort as their values do:
 * - `=L0007 <song>`: level 7's songs, in `_id` order;
 * - `=D<difficulty> <song>`: every song, easiest first, ties by `_id`;
 * - `=E0007<difficulty> <song>`: level 7's songs, easiest first.
 * A level is four digits (1 to 1000); a difficulty the 16 hex digits of its float64, which sort as non-negative
 * numbers do.
 */

const level4 = (level: number) => String(level).padStart(4, '0')

function difficultyHex (difficulty: number): string {
  const bytes = Buffer.alloc(8)
  // `+ 0` turns -0, which the schema lets through as 0, into +0: its sign bit would sort it after every difficulty.
  bytes.writeDoubleBE(difficulty + 0)
  return bytes.toString('hex')
}

/** The term prefix of one level's songs, in `_id` order: a search within a level probes it as it probes a word. */
export function levelPrefix (level: number): string {
  return `=L${level4(level)}`
}

/** The order keys of a song of this level and difficulty. */
export function orderPrefixes ({ level, difficulty }: { level: number, difficulty: number }): string[] {
  return [levelPrefix(level), `=D${difficultyHex(difficulty)}`, `=E${level4(level)}${difficultyHex(difficulty)}`]
}

/** The `_id` range of `search_terms` that lists the songs of `order` after `after` (an `_id`-ordered list of the whole catalog is the songs' own `_id` range). */
export function orderRange ({ level, sort }: SongListOrder, after?: SongListPosition): { $gt: string, $lt: string } {
  const at = (prefix: string) => after ? `${prefix} ${after.id.toHexString()}` : prefix
  if (sort === 'id') return { $gt: `${at(levelPrefix(level!))}`, $lt: `${levelPrefix(level!)}!` }
  const difficulty = after ? difficultyHex(after.difficulty!) : ''
  if (level === undefined) return { $gt: at(`=D${difficulty}`), $lt: '=E' }
  return { $gt: at(`=E${level4(level)}${difficulty}`), $lt: `=E${level4(level + 1)}` }
}
