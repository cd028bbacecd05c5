import { ProblemError } from './problem.ts'

export function songNotFound (songId: string): ProblemError {
  return new ProblemError(404, 'SONG_NOT_FOUND', `No song has id ${songId}.`)
}

/** A write that would give two songs the same artist and title (the unique index compares them exactly, as the seed does). */
export function songExists (artist: string, title: string): ProblemError {
  return new ProblemError(409, 'SONG_EXISTS', `A song by ${JSON.stringify(artist)} titled ${JSON.stringify(title)} is already in the catalog.`)
}

/** The catalog holds songs whose search terms were never built: a search would miss them (docs/operations.md, upgrading). */
export function searchTermsNotBuilt (): ProblemError {
  return new ProblemError(503, 'SEARCH_NOT_READY', 'Search is not available yet: the search terms of the catalog are being built (`npm run search:build`).')
}

export function ratingNotFound (songId: string): ProblemError {
  return new ProblemError(404, 'RATING_NOT_FOUND', `You have not rated song ${songId}.`)
}
