import { ProblemError } from './problem.ts'

/** `tokenSent`: RFC 6750 adds `error="invalid_token"` only when the request carried bearer credentials. */
export function unauthorized (tokenSent: boolean): ProblemError {
  return new ProblemError(401, 'UNAUTHORIZED', tokenSent
    ? 'The bearer token is not valid: malformed, expired, not signed by this API, of a user that no longer exists or is disabled, or of a session that was ended (password change, sign-out everywhere).'
    : 'This operation needs a bearer token: send Authorization: Bearer <access_token> from POST /auth/token.')
}

export function forbidden (): ProblemError {
  return new ProblemError(403, 'FORBIDDEN', 'Your account is not allowed to do this.')
}

/** The same for an unknown name and a wrong password, so the answer does not tell which names exist. */
export function invalidCredentials (): ProblemError {
  return new ProblemError(401, 'INVALID_CREDENTIALS', 'The username or password is wrong.')
}

export function invalidRefreshToken (): ProblemError {
  return new ProblemError(401, 'INVALID_REFRESH_TOKEN', 'The refresh token is not valid: unknown, expired, revoked, already used, or of a session that was ended. Sign in again.')
}

export function usernameTaken (username: string): ProblemError {
  return new ProblemError(409, 'USERNAME_TAKEN', `The username ${username.toLowerCase()} is taken; choose another.`)
}

export function userNotFound (userId: string): ProblemError {
  return new ProblemError(404, 'USER_NOT_FOUND', `No user has id ${userId}.`)
}

/** A demotion, disabling or deletion that would leave no enabled admin. */
export function lastAdmin (): ProblemError {
  return new ProblemError(409, 'LAST_ADMIN', 'This would leave no enabled admin: make another account an admin first.')
}

/** Answered only after the right password, so it tells nothing to someone guessing. */
export function accountDisabled (): ProblemError {
  return new ProblemError(403, 'ACCOUNT_DISABLED', 'This account is disabled by an administrator; it cannot sign in.')
}
