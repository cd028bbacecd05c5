import type { TestApp } from './helper.ts'
import { json } from './helper.ts'

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
