import { ProblemError } from '../../lib/problem.ts'
import { adminExample } from '../../schemas/examples.ts'
import { problemResponse } from '../../schemas/responses.ts'

export function userNotFound (userId: string): ProblemError {
  return new ProblemError(404, 'USER_NOT_FOUND', `No user has id ${userId}.`)
}

/** The documented 404 of the admin routes on one user. */
export const userNotFoundResponse = problemResponse(404, userNotFound(adminExample.id).problem, 'No user has this id (`USER_NOT_FOUND`), or it has been deleted.')
