import { createHash } from 'node:crypto'
import type { Collections } from '../src/db/collections.ts'
import type { TestApp } from './helper.ts'
import { json } from './helper.ts'

/** A hash of every document of the named collections, in `_id` order: equal hashes mean nothing in them changed. */
export async function snapshot (app: TestApp, names: readonly (keyof Collections)[]): Promise<string> {
  const all = await Promise.all(names.map(name => app.database.collections[name].find().sort({ _id: 1 }).toArray()))
  return createHash('sha256').update(JSON.stringify(all)).digest('hex')
}

/**
 * What the level stats must say, computed from the songs the database holds now, beside what the API answers:
 * equal counts and sums (to rounding) mean the derived data followed every write.
 */
export async function levelStatsAgainstSongs (app: TestApp) {
  const songs = await app.database.collections.songs.find().toArray()
  const levels = [...new Set(songs.map(song => song.level))]
  const answered = await Promise.all([undefined, ...levels].map(async level => json(await app.inject(`/songs/avg/difficulty${level === undefined ? '' : `?level=${level}`}`))))
  return answered.map(({ level, songs: count, average_difficulty: average }) => {
    const of = songs.filter(song => level === null || song.level === level)
    const expected = of.length === 0 ? null : of.reduce((sum, song) => sum + song.difficulty, 0) / of.length
    return { level, count, expectedCount: of.length, average, expected, exact: count === of.length && (average === expected || Math.abs(average - expected!) < 1e-9) }
  })
}
