import { MongoError, MongoServerError, MongoServerSelectionError } from 'mongodb'
import { withoutCredentials } from '../config.ts'

const URL_WITH_CREDENTIALS = /mongodb(?:\+srv)?:\/\/[^\s@/]*@/g

/**
 * The one line that says why a start (`npm start`, `npm run seed`, `npm run generate`) stopped on a database
 * failure: the cause and the database, credentials stripped, no stack trace. Null for any other error, which is
 * a bug whose stack is worth having.
 */
export function databaseFailureLine (error: unknown, mongodbUrl: string): string | null {
  if (!(error instanceof MongoError)) return null
  const database = withoutCredentials(mongodbUrl)
  const message = error.message.replace(URL_WITH_CREDENTIALS, url => withoutCredentials(url))
  const cause = error instanceof MongoServerError
    ? `refused: ${message} (${error.codeName ?? 'code'} ${String(error.code)})`
    : error instanceof MongoServerSelectionError ? `cannot be reached: ${message}` : `failed: ${message}`
  return `Cannot start: the database ${database} ${cause}`.replace(/\s*\n\s*/g, ' ')
}

/** Ends the process with that line (exit code 1) when `error` is a database failure; rethrows anything else. */
export function exitOnDatabaseFailure (error: unknown, mongodbUrl: string): never {
  const line = databaseFailureLine(error, mongodbUrl)
  if (line === null) throw error
  process.stderr.write(`${line}\n`)
  process.exit(1)
}
