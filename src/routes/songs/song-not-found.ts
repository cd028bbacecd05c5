import { ProblemError } from '../../lib/problem.ts'

export function songNotFound (songId: string): ProblemError {
  return new ProblemError(404, 'SONG_NOT_FOUND', `No song has id ${songId}.`)
}
