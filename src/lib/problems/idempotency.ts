import { ProblemError } from './problem.ts'

export function idempotencyKeyBusy (): ProblemError {
  return new ProblemError(409, 'IDEMPOTENCY_KEY_BUSY', 'A request with this Idempotency-Key is still being processed; retry shortly.')
}

export function idempotencyKeyReused (): ProblemError {
  return new ProblemError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with another request; use a new key for a new request.')
}
