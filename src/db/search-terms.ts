import { ObjectId } from 'mongodb'
import type { Collections } from './collections.ts'
import type { SearchTermDocument, SongDocument } from './documents.ts'
import { insertSkippingDuplicates, insertUnlessDuplicate } from './unique-writes.ts'
import { bounds, deadline } from './deadline.ts'
import { readBatch, readByIds } from './read-batch.ts'
import { deleteByIds } from './write-batches.ts'
import { levelPrefix, orderPrefixes } from './order-keys.ts'

/*
 * Search terms: one document per (search prefix, song), `_id` = `"<prefix> <song id in hex>"`, and a song's order
 * keys (src/db/order-keys.ts) in the same form. Search words hold only letters and digits, so the space ends the
 * prefix and `"<prefix>!"` is above every term of it: one prefix's songs are one `_id` range, in the songs' `_id`
 * order (fixed-width hex sorts as the ids do). An `_id` range scan is ordered and bounded by its limit on every
 * engine — MongoDB's `_id_` index, PostgreSQL's btree under DocumentDB — so no plan depends on how many songs a word
 * has, which a PostgreSQL-based engine cannot know: there a multikey index on the songs either walks the whole `_id`
 * index for a word no song has or sorts every song of a common word.
 */

type TermsCollection = Collections['searchTerms']

/**
 * Marks a database whose terms and order keys were built from its songs (a term `_id` starts with a letter, a digit
 * or "="). The marker of a build from before order keys, `#built`, is not enough: such a catalog is built again.
 */
const BUILT_MARKER = '#built-2'

/** The song a build that has not finished got to: it resumes after it. */
const PROGRESS_MARKER = '#progress'

/** Songs a build reads at a time: at the largest song (about 125 KB with its prefixes) a batch fits one reply. */
export const BUILD_BATCH = 100

/**
 * Index entries of terms a search request reads at most after its first round (which reads `limit + 1` per word),
 * the walked word's and the probes' together.
 */
export const TERM_BUDGET = 1000

/** Each round of a several-word search reads this many times the terms of the round before. */
const ROUND_GROWTH = 8

/** How far before the last build's end a later build looks again: more than any writer's clock is off (ObjectIds carry their writer's time). */
const CLOCK_MARGIN_S = 600

const termId = (prefix: string, songHex: string) => `${prefix} ${songHex}`

/** What a song's terms derive from: its search prefixes, its level and its difficulty. */
export type TermSource = Pick<SongDocument, '_id' | 'search_prefixes' | 'level' | 'difficulty'>

/** The `_id`s of a song's terms: one per search prefix, and its order keys. */
export function termIdsOf (song: TermSource): string[] {
  const hex = song._id.toHexString()
  return [...song.search_prefixes, ...orderPrefixes(song)].map(prefix => termId(prefix, hex))
}

/** Adds terms by `_id` (what is there already is skipped); `timeoutMs` bounds each command (none for an import). */
export async function addTermIds (searchTerms: TermsCollection, ids: string[], timeoutMs?: number): Promise<void> {
  await insertSkippingDuplicates(searchTerms, ids.map((_id): SearchTermDocument => ({ _id })), timeoutMs)
}

/** Removes terms by `_id`; `timeoutMs` as for `addTermIds`. */
export async function removeTermIds (searchTerms: TermsCollection, ids: string[], timeoutMs?: number): Promise<void> {
  await deleteByIds(searchTerms, ids, timeoutMs)
}

/**
 * Adds the terms of songs (before the songs are written: a crash then leaves terms without a song, never a song
 * without terms); `timeoutMs` bounds each command (none for an import).
 */
export async function addTerms (searchTerms: TermsCollection, songs: TermSource[], timeoutMs?: number): Promise<void> {
  await addTermIds(searchTerms, songs.flatMap(termIdsOf), timeoutMs)
}

/** Removes the terms of songs (after the songs are gone); `timeoutMs` as for `addTerms`. */
export async function removeTerms (searchTerms: TermsCollection, songs: TermSource[], timeoutMs?: number): Promise<void> {
  await removeTermIds(searchTerms, songs.flatMap(termIdsOf), timeoutMs)
}

/**
 * Whether every song has its search terms: a build finished (the marker), or there is no song at all (then the
 * marker is written, since from here on every catalog write adds its songs' terms itself).
 */
export async function searchTermsBuilt ({ songs, searchTerms }: Pick<Collections, 'songs' | 'searchTerms'>, timeoutMs?: number): Promise<boolean> {
  if (await searchTerms.findOne({ _id: BUILT_MARKER }, deadline(timeoutMs))) return true
  if (await songs.findOne({}, { projection: { _id: 1 }, ...deadline(timeoutMs) })) return false
  await insertUnlessDuplicate(searchTerms, { _id: BUILT_MARKER }, timeoutMs)
  return true
}

export interface BuildProgress { total: number, done: number }

/**
 * Builds the terms of every song, `batchSize` songs at a time along `_id`, then writes the marker. Resumable: the
 * song it got to is recorded after every batch, and a build that was stopped goes on after it. Once the marker is
 * there it only covers the songs added after the last build's end (by an earlier version of the API, which writes
 * no terms, while the upgrade ran): those after its last song, less a margin for the clocks of several writers.
 * Returns how many songs it read.
 */
export async function buildSearchTerms (
  { songs, searchTerms }: Pick<Collections, 'songs' | 'searchTerms'>,
  { batchSize = BUILD_BATCH, onProgress }: { batchSize?: number, onProgress?: (progress: BuildProgress) => void } = {}
): Promise<number> {
  const built = await searchTerms.findOne({ _id: BUILT_MARKER })
  if (built && !built.after) return 0
  let after = built?.after
    ? ObjectId.createFromTime(Math.max(0, built.after.getTimestamp().getTime() / 1000 - CLOCK_MARGIN_S))
    : (await searchTerms.findOne({ _id: PROGRESS_MARKER }))?.after
  const total = await songs.estimatedDocumentCount()
  let done = after ? await songs.countDocuments({ _id: { $lte: after } }) : 0
  let last = built?.after
  let read = 0
  while (true) {
    const batch = await readBatch(songs, after ? { _id: { $gt: after } } : {}, batchSize, { projection: { _id: 1, search_prefixes: 1, level: 1, difficulty: 1 }, sort: { _id: 1 }, hint: { _id: 1 } })
    await addTerms(searchTerms, batch)
    read += batch.length
    done += batch.length
    onProgress?.({ total: Math.max(total, done), done })
    if (batch.length > 0) after = batch.at(-1)!._id
    if (after && (!last || after.toHexString() > last.toHexString())) last = after
    // A batch of fewer songs than asked is the last: readBatch returns every match up to its count.
    if (batch.length < batchSize) break
    await searchTerms.updateOne({ _id: PROGRESS_MARKER }, { $set: { after } }, { upsert: true })
  }
  if (last) await searchTerms.updateOne({ _id: BUILT_MARKER }, { $set: { after: last } }, { upsert: true })
  else await insertUnlessDuplicate(searchTerms, { _id: BUILT_MARKER })
  await searchTerms.deleteOne({ _id: PROGRESS_MARKER })
  return read
}

/** The words a song must have, without those implied by another: a song with a word starting "alab" has one starting "a". */
function neededWords (words: string[]): string[] {
  return words.filter(word => !words.some(other => other !== word && other.startsWith(word)))
}

interface SearchOptions<Projection> { projection: Projection, maxTimeMS: number, termBudget?: number, level?: number }

/**
 * A page of the songs having every word (each a prefix of one of their words), in `_id` order after `after`.
 * Every read is an `_id` range or `_id` list with a limit, so a request reads at most `limit + 1` terms per word
 * and their probes in its first round, no more than the term budget after it, and `limit + 1` songs (plus those of
 * leftover terms), whatever the catalog's size:
 * - round one reads the first `limit + 1` terms of every word at once; a word with fewer is fully known, so the
 *   rarest such word (a rare or absent one) is walked and the answer is complete in that one round;
 * - otherwise the longest word is walked in rounds growing ROUND_GROWTH times, each probing the other words'
 *   terms of the round's songs by `_id` (`$in`); when TERM_BUDGET is spent the page may hold fewer than `limit`
 *   songs and `next` says where the next request goes on (only several common words rarely together do that);
 * - the songs are read by `_id` and kept only if they have every word now: terms left by a rename or a delete that
 *   stopped half-way are skipped.
 * `next` is null when no song is left.
 */
export async function searchSongs<Projection extends Record<string, 1>> (
  { songs, searchTerms }: Pick<Collections, 'songs' | 'searchTerms'>, words: string[], limit: number, after: ObjectId | undefined,
  { projection, maxTimeMS, termBudget = TERM_BUDGET, level }: SearchOptions<Projection>
): Promise<{ found: SongDocument[], next: ObjectId | null }> {
  // Within a level, the level's order key is one more word to have: its range lists the level's songs in `_id` order.
  const needed = [...neededWords(words), ...(level === undefined ? [] : [levelPrefix(level)])]
  /** Song ids (hex) of a word's terms after `position`, at most `count`, in order. */
  async function songsOfWord (word: string, position: string, count: number): Promise<string[]> {
    const terms = await readBatch(searchTerms, { _id: { $gt: termId(word, position), $lt: `${word}!` } }, count, { projection: { _id: 1 }, sort: { _id: 1 }, hint: { _id: 1 }, ...bounds(maxTimeMS) })
    return terms.map(term => term._id.slice(word.length + 1))
  }
  async function withEveryWord (candidates: string[], others: string[]): Promise<string[]> {
    if (others.length === 0 || candidates.length === 0) return candidates
    const probes = others.flatMap(word => candidates.map(hex => termId(word, hex)))
    const held = new Set((await readByIds(searchTerms, probes, { projection: { _id: 1 }, ...bounds(maxTimeMS) })).map(term => term._id))
    return candidates.filter(hex => others.every(word => held.has(termId(word, hex))))
  }
  async function songsHavingEveryWord (ids: string[]): Promise<SongDocument[]> {
    if (ids.length === 0) return []
    const docs = await readByIds(songs, ids.map(hex => new ObjectId(hex)), { projection: { ...projection, search_prefixes: 1, level: 1 }, ...bounds(maxTimeMS) })
    const byId = new Map(docs.map(doc => [doc._id.toHexString(), doc]))
    return ids.map(hex => byId.get(hex))
      .filter(doc => doc !== undefined && words.every(word => doc.search_prefixes.includes(word)) && (level === undefined || doc.level === level)) as SongDocument[]
  }

  const start = after?.toHexString() ?? ''
  const first = await Promise.all(needed.map(word => songsOfWord(word, start, limit + 1)))
  const complete = first.map((ids, i) => ({ ids, i })).filter(({ ids }) => ids.length <= limit)
  const walkedIndex = complete.length > 0
    ? complete.reduce((rarest, word) => word.ids.length < rarest.ids.length ? word : rarest).i
    : needed.reduce((longest, word, i) => word.length > needed[longest]!.length ? i : longest, 0)
  const walked = needed[walkedIndex]!
  const others = needed.filter((_word, i) => i !== walkedIndex)
  let read = first[walkedIndex]!
  let spent = first.reduce((total, ids) => total + ids.length, 0)
  let size = limit + 1
  const found: SongDocument[] = []
  while (true) {
    const candidates = await withEveryWord(read, others)
    spent += read.length * others.length
    const wanted = candidates.slice(0, limit + 1 - found.length)
    found.push(...await songsHavingEveryWord(wanted))
    if (found.length > limit) return { found: found.slice(0, limit), next: found[limit - 1]!._id }
    const cut = wanted.length < candidates.length
    if (!cut && read.length < size) return { found, next: null }
    const position = cut ? wanted.at(-1)! : read.at(-1)!
    size = Math.min(size * ROUND_GROWTH, Math.floor((termBudget - spent) / needed.length))
    if (size < 1) return { found, next: new ObjectId(position) }
    read = await songsOfWord(walked, position, size)
    spent += read.length
  }
}
