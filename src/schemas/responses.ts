import type { Static, TSchema } from 'typebox'
import type { FieldError } from '../lib/problem.ts'
import { validationFailed } from '../plugins/app/problems.ts'
import { problemExamples } from './examples.ts'
import { Problem } from './problem.ts'
import { ref } from './ref.ts'

const PROBLEM_DESCRIPTIONS = {
  400: 'Invalid parameters or body (`VALIDATION_FAILED`, each failing field in `errors`), a body that is not JSON (`MALFORMED_JSON`) or a URL that cannot be decoded (`MALFORMED_URL`).',
  404: 'No song has this id (`SONG_NOT_FOUND`).',
  413: 'The body is larger than the API accepts (`PAYLOAD_TOO_LARGE`).',
  415: 'The body is not `application/json` (`UNSUPPORTED_MEDIA_TYPE`).',
  429: 'Too many requests from this client (`RATE_LIMITED`); see `Retry-After`.',
  500: 'Unexpected failure (`INTERNAL_ERROR`); details are logged, never sent.',
  503: 'The database is not answering (`DATABASE_UNAVAILABLE`); retry later.'
} as const

type ProblemStatus = Exclude<keyof typeof PROBLEM_DESCRIPTIONS, 400>

const RETRY_AFTER = { 'retry-after': { type: 'integer', minimum: 0, description: 'Seconds to wait before the next request.' } }

/** A JSON response of a shared schema, with an example from the seed catalog. */
export function jsonResponse<T extends TSchema> (description: string, schema: T, example: Static<T>) {
  return { description, content: { 'application/json': { schema: ref(schema), example } } }
}

/**
 * problem+json responses: a 400 whose example is `invalid`, the given statuses, and those every route can
 * return (429, 500, 503).
 */
export function problemResponses (invalid: FieldError, ...statuses: ProblemStatus[]) {
  const examples = { 400: validationFailed([invalid]), ...problemExamples }
  const all = [400, ...statuses, 429, 500, 503] as const
  return Object.fromEntries(all.map(status => [status, {
    description: PROBLEM_DESCRIPTIONS[status],
    ...(status === 429 ? { headers: RETRY_AFTER } : {}),
    content: { 'application/problem+json': { schema: ref(Problem), example: examples[status] } }
  }]))
}
