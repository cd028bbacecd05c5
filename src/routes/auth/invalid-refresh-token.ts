import { ProblemError } from '../../lib/problem.ts'

export function invalidRefreshToken (): ProblemError {
  return new ProblemError(401, 'INVALID_REFRESH_TOKEN', 'The refresh token is not valid: unknown, expired, revoked, already used, or of a session that was ended. Sign in again.')
}
