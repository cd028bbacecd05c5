import { ProblemError } from './problem.ts'

export function songNotFound (songId: string): ProblemError {
  return new ProblemError(404, 'SONG_NOT_FOUND', `No song has id ${songId}.`)
}

/** A write that would give two songs the same artist and title (the unique index compares them exactly, as the seed does). */
export function songExists (artist: string, title: string): ProblemError {
  return new ProblemError(409, 'SONG_EXISTS', `A song by ${JSON.stringify(artist)} titled ${JSON.stringify(title)} is already in the catalog.`)
}

export function ratingNotFound (songId: string): ProblemError {
  return new ProblemError(404, 'RATING_NOT_FOUND', `You have not rated song ${songId}.`)
}
