import { ProblemError } from '../../lib/problem.ts'

/** Answered only after the right password, so it tells nothing to someone guessing. */
export function accountDisabled (): ProblemError {
  return new ProblemError(403, 'ACCOUNT_DISABLED', 'This account is disabled by an administrator; it cannot sign in.')
}
