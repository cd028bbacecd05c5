import { STATUS_CODES } from 'node:http'

export interface FieldError {
  field: string
  message: string
}

/** An RFC 9457 problem detail, as every non-2xx answer carries it. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: string
  errors?: FieldError[]
}

export function problem (status: number, code: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `urn:songs-api:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {})
  }
}

/** Thrown by handlers and hooks for an expected failure; the error handler answers it as it is. */
export class ProblemError extends Error {
  readonly problem: Problem
  readonly statusCode: number

  constructor (status: number, code: string, detail: string) {
    super(detail)
    this.problem = problem(status, code, detail)
    this.statusCode = status
  }
}
