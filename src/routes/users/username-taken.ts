import { ProblemError } from '../../lib/problem.ts'

export function usernameTaken (username: string): ProblemError {
  return new ProblemError(409, 'USERNAME_TAKEN', `The username ${username.toLowerCase()} is taken; choose another.`)
}
