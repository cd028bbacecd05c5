import { ProblemError } from '../../lib/problem.ts'

export function ratingNotFound (songId: string): ProblemError {
  return new ProblemError(404, 'RATING_NOT_FOUND', `You have not rated song ${songId}.`)
}
