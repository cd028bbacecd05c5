import { ProblemError } from '../lib/problem.ts'

/** A write that would give two songs the same artist and title (the unique index compares them exactly, as the seed does). */
export function songExists (artist: string, title: string): ProblemError {
  return new ProblemError(409, 'SONG_EXISTS', `A song by ${JSON.stringify(artist)} titled ${JSON.stringify(title)} is already in the catalog.`)
}
