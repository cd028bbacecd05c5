type Security = Array<Record<string, string[]>>

// The `security` of an operation in the OpenAPI document (`bearerAuth` is declared by the swagger plugin).

/** A bearer token is required: without one the answer is a 401. */
export const TOKEN_REQUIRED: Security = [{ bearerAuth: [] }]

/** Anonymous or with a bearer token; a token that is sent must be valid (else a 401, never anonymous). */
export const TOKEN_OPTIONAL: Security = [{}, { bearerAuth: [] }]

/** Public: a token is neither needed nor looked at. */
export const NO_TOKEN: Security = []
