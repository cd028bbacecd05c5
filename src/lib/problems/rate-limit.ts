import { ProblemError } from './problem.ts'

export function rateLimited (after: string): ProblemError {
  return new ProblemError(429, 'RATE_LIMITED', `Too many requests; retry in ${after}.`)
}
