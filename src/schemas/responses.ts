import { Problem } from './problem.ts'
import { ref } from './ref.ts'

const PROBLEM_DESCRIPTIONS = {
  400: 'Invalid parameters or body; `errors` lists each failing field.',
  404: 'No such song.',
  409: 'A request with this `Idempotency-Key` is still being processed; retry shortly.',
  413: 'The body is larger than the API accepts.',
  415: 'The body is not `application/json`.',
  422: 'The `Idempotency-Key` was already used with another request body.',
  429: 'Too many requests from this client; see `Retry-After`.',
  500: 'Unexpected failure; details are logged, never sent.',
  503: 'The database is not answering; retry later.'
} as const

type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS

/** problem+json responses for the given statuses, plus those every route can return (429, 500, 503). */
export function problemResponses (...statuses: ProblemStatus[]) {
  const all: ProblemStatus[] = [...statuses, 429, 500, 503]
  return Object.fromEntries(all.map(status => [status, {
    description: PROBLEM_DESCRIPTIONS[status],
    content: { 'application/problem+json': { schema: ref(Problem) } }
  }]))
}
