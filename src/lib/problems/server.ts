import { problem } from './problem.ts'

export const DATABASE_UNAVAILABLE = problem(503, 'DATABASE_UNAVAILABLE', 'The database is not answering; try again shortly.')
export const INTERNAL_ERROR = problem(500, 'INTERNAL_ERROR', 'Something went wrong on our side; it has been logged.')
