import { ObjectId } from 'mongodb'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'
import type { RatingDocument } from '../src/db/documents.ts'
import type { NewSong } from '../src/db/song-file.ts'
import { ADJECTIVES, BAND_NOUNS, FIRST_NAMES, LAST_NAMES, NOUNS, SMALL_WORDS, VERBS } from './words.ts'

// A synthetic catalog is a pure function of (seed, songs, ratings): same arguments, same documents, same ids.

const SONG_EPOCH = Date.UTC(2020, 0, 1) / 1000
const RATING_EPOCH = Date.UTC(2024, 0, 1) / 1000
const FIRST_RELEASE = Date.UTC(1960, 0, 1)
const LAST_RELEASE = Date.UTC(2025, 11, 31)
const DAY = 86_400_000
/** Levels 1–LEVELS have songs; higher levels are valid but empty. */
export const LEVELS = 15

/** seconds (epoch + ordinal), seed, ordinal: unique per (seed, ordinal) and increasing with the ordinal, so `_id` order is generation order. */
function syntheticId (epochSeconds: number, seed: number, ordinal: number): ObjectId {
  const bytes = Buffer.alloc(12)
  bytes.writeUInt32BE(epochSeconds + ordinal, 0)
  bytes.writeUInt32BE(seed >>> 0, 4)
  bytes.writeUInt32BE(ordinal, 8)
  return new ObjectId(bytes)
}

export function songId (seed: number, ordinal: number): ObjectId {
  return syntheticId(SONG_EPOCH, seed, ordinal)
}

export function ratingId (seed: number, ordinal: number): ObjectId {
  return syntheticId(RATING_EPOCH, seed, ordinal)
}

function pick<T> (rng: RandomGenerator, items: readonly T[]): T {
  return items[uniformInt(rng, 0, items.length - 1)]!
}

function artistName (rng: RandomGenerator): string {
  switch (uniformInt(rng, 0, 3)) {
    case 0: return `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`
    case 1: return `The ${pick(rng, ADJECTIVES)} ${pick(rng, BAND_NOUNS)}`
    case 2: return `The ${pick(rng, BAND_NOUNS)}`
    default: return `${pick(rng, FIRST_NAMES)} & The ${pick(rng, BAND_NOUNS)}`
  }
}

function songTitle (rng: RandomGenerator): string {
  switch (uniformInt(rng, 0, 4)) {
    case 0: return `${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)}`
    case 1: return `${pick(rng, VERBS)} ${pick(rng, SMALL_WORDS)} ${pick(rng, NOUNS)}`
    case 2: return `The ${pick(rng, NOUNS)} ${pick(rng, SMALL_WORDS)} ${pick(rng, NOUNS)}`
    case 3: return `${pick(rng, SMALL_WORDS)} ${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)}`
    default: return pick(rng, NOUNS)
  }
}

/** `count` songs with their `_id`s, in `_id` order; (artist, title) pairs are unique ("Take 2" and on for a repeat). */
export function * generateSongs (seed: number, count: number): Generator<NewSong & { _id: ObjectId }> {
  const rng = xoroshiro128plus(seed)
  const seen = new Set<string>()
  for (let ordinal = 0; ordinal < count; ordinal++) {
    const artist = artistName(rng)
    let title = songTitle(rng)
    for (let take = 2; seen.has(`${artist}\n${title}`); take++) title = `${title.replace(/ \(Take \d+\)$/, '')} (Take ${take})`
    seen.add(`${artist}\n${title}`)
    const level = uniformInt(rng, 1, LEVELS)
    // Harder levels have harder songs, with some spread inside a level, as in the provided catalog.
    const difficulty = Math.round((level + uniformFloat64(rng) * 3 - 1) * 100) / 100
    const released = new Date(FIRST_RELEASE + uniformInt(rng, 0, (LAST_RELEASE - FIRST_RELEASE) / DAY) * DAY).toISOString().slice(0, 10)
    yield { _id: songId(seed, ordinal), artist, title, difficulty: Math.max(0, difficulty), level, released }
  }
}

/**
 * How many ratings each song gets: Zipf-like popularity (the song of rank r gets about 1/r of the top one's),
 * the ranks scattered over the catalog by a stride coprime with its size. Sums to exactly `ratings`.
 */
export function ratingsPerSong (songs: number, ratings: number): Uint32Array {
  const counts = new Uint32Array(songs)
  if (songs === 0) return counts
  let stride = Math.max(1, Math.floor(songs * 0.618))
  while (gcd(stride, songs) !== 1) stride++
  const songOfRank = (rank: number) => (rank * stride) % songs
  let harmonic = 0
  for (let rank = 1; rank <= songs; rank++) harmonic += 1 / rank
  let given = 0
  for (let rank = 0; rank < songs; rank++) {
    const share = Math.floor(ratings / ((rank + 1) * harmonic))
    counts[songOfRank(rank)] = share
    given += share
  }
  // What the rounding down left over goes one each to the most popular songs.
  for (let rank = 0; given < ratings; rank = (rank + 1) % songs, given++) counts[songOfRank(rank)]! += 1
  return counts
}

function gcd (a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b)
}

/** The ratings of the catalog, song by song in `_id` order; each song has its own taste (mean) around which stars fall. */
export function * generateRatings (seed: number, songs: number, ratings: number): Generator<RatingDocument> {
  const rng = xoroshiro128plus(seed ^ 0x5eed)
  const counts = ratingsPerSong(songs, ratings)
  let ordinal = 0
  for (let song = 0; song < songs; song++) {
    const mean = 1 + uniformFloat64(rng) * 4
    for (let i = 0; i < counts[song]!; i++) {
      const stars = Math.min(5, Math.max(1, Math.round(mean + (uniformFloat64(rng) + uniformFloat64(rng) - 1) * 1.5)))
      const _id = ratingId(seed, ordinal++)
      yield { _id, song_id: songId(seed, song), rating: stars, created_at: _id.getTimestamp() }
    }
  }
}
