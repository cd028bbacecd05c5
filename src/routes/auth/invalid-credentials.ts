import { ProblemError } from '../../lib/problem.ts'

/** The same for an unknown name and a wrong password, so the answer does not tell which names exist. */
export function invalidCredentials (): ProblemError {
  return new ProblemError(401, 'INVALID_CREDENTIALS', 'The username or password is wrong.')
}
