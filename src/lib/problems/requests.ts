import { problem, type FieldError, type Problem } from './problem.ts'

// Fastify's own client errors, with the stable codes and fixed wording this API promises.
export const FRAMEWORK_PROBLEMS: Record<string, [code: string, detail: string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'The request body is larger than this API accepts.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['MALFORMED_JSON', 'The request body is empty; send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['MALFORMED_JSON', 'The request body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_REQUEST', 'The Content-Length header does not match the body.'],
  FST_ERR_BAD_URL: ['MALFORMED_URL', 'The request URL is not valid.'],
  FST_UNDER_PRESSURE: ['OVERLOADED', 'The server is overloaded; retry after the time in Retry-After.']
}

export function validationFailed (errors: FieldError[]): Problem {
  return problem(400, 'VALIDATION_FAILED', `Invalid request: ${errors.map(e => `${e.field} ${e.message}`).join('; ')}.`, errors)
}
