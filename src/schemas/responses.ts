import type { Static, TSchema } from 'typebox'
import type { FieldError, Problem as ProblemBody } from '../lib/problems/problem.ts'
import { problemExamples } from './examples.ts'
import { Problem } from './problem.ts'
import { ref } from './ref.ts'
import { validationFailed } from '../lib/problems/requests.ts'

const PROBLEM_DESCRIPTIONS = {
  400: 'Invalid parameters or body (`VALIDATION_FAILED`, each failing field in `errors`), a body that is not JSON (`MALFORMED_JSON`) or a URL that cannot be decoded (`MALFORMED_URL`).',
  401: 'No valid bearer token (`UNAUTHORIZED`): none was sent where one is required, or the one sent is malformed, expired, not signed by this API, of a deleted or disabled user, or of an ended session (password change, sign-out everywhere). `WWW-Authenticate` says `Bearer`, with `error="invalid_token"` when a token was sent.',
  403: 'The bearer token is valid but the user\'s roles do not allow this (`FORBIDDEN`).',
  404: 'No song has this id (`SONG_NOT_FOUND`).',
  409: 'A request with this `Idempotency-Key` is still being processed (`IDEMPOTENCY_KEY_BUSY`); retry shortly.',
  413: 'The body is larger than the API accepts (`PAYLOAD_TOO_LARGE`).',
  415: 'The body is not `application/json` (`UNSUPPORTED_MEDIA_TYPE`).',
  422: 'The `Idempotency-Key` was already used with another request body (`IDEMPOTENCY_KEY_REUSED`).',
  429: 'Too many requests from this client (`RATE_LIMITED`); see `Retry-After`.',
  500: 'Unexpected failure (`INTERNAL_ERROR`); details are logged, never sent.',
  503: 'The database is not answering (`DATABASE_UNAVAILABLE`), or the server is overloaded (`OVERLOADED`, see `Retry-After`); retry later.'
} as const

type ProblemStatus = Exclude<keyof typeof PROBLEM_DESCRIPTIONS, 400>

const RETRY_AFTER = { 'retry-after': { type: 'integer', minimum: 0, description: 'Seconds to wait before the next request.' } }
const WWW_AUTHENTICATE = { 'www-authenticate': { type: 'string', description: '`Bearer`, or `Bearer error="invalid_token"` when the token sent is not valid (RFC 6750).' } }
const HEADERS: Partial<Record<keyof typeof PROBLEM_DESCRIPTIONS, object>> = { 401: WWW_AUTHENTICATE, 429: RETRY_AFTER }

/** A JSON response of a shared schema, with an example from the seed catalog. */
export function jsonResponse<T extends TSchema> (description: string, schema: T, example: Static<T>) {
  return { description, content: { 'application/json': { schema: ref(schema), example } } }
}

/** A problem+json response; a route whose problem for a status differs from the usual one gives its own example and description. */
export function problemResponse (status: keyof typeof PROBLEM_DESCRIPTIONS, example: ProblemBody, description: string = PROBLEM_DESCRIPTIONS[status]) {
  const headers = HEADERS[status]
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/problem+json': { schema: ref(Problem), example } }
  }
}

/** problem+json responses for exactly the given statuses (routes outside the API proper: probes). */
export function problemResponsesOnly (...statuses: ProblemStatus[]) {
  return Object.fromEntries(statuses.map(status => [status, problemResponse(status, problemExamples[status])]))
}

/**
 * problem+json responses: a 400 whose example is `invalid`, the given statuses, and those every route can
 * return (429, 500, 503).
 */
export function problemResponses (invalid: FieldError, ...statuses: ProblemStatus[]) {
  return { 400: problemResponse(400, validationFailed([invalid])), ...problemResponsesOnly(...statuses, 429, 500, 503) }
}
