import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import type { Socket } from 'node:net'
import fp from 'fastify-plugin'
import { MongoNetworkError, MongoNotConnectedError, MongoOperationTimeoutError, MongoServerError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb'
import { isTransient } from '../../db/engine-errors.ts'
import { problem, ProblemError, type FieldError, type Problem } from '../../lib/problems/problem.ts'
import { FRAMEWORK_PROBLEMS, validationFailed } from '../../lib/problems/requests.ts'
import { DATABASE_UNAVAILABLE, INTERNAL_ERROR } from '../../lib/problems/server.ts'
import { unroutedProblem, type RouteMethods } from '../../lib/route-methods.ts'

// MongoDB's code for an operation that ran out of its maxTimeMS.
const MAX_TIME_EXPIRED = 50
// The driver lets a bare socket error through when it writes to a connection the server side has just closed.
const SOCKET_CLOSED = new Set(['EPIPE', 'ECONNRESET'])

export function send (reply: FastifyReply, body: Problem) {
  return reply.code(body.status).type('application/problem+json').send(body)
}

function fieldErrors (error: FastifyError): FieldError[] {
  return (error.validation ?? []).map(issue => {
    const params = issue.params as Record<string, unknown>
    const property = params.missingProperty ?? params.additionalProperty
    const path = issue.instancePath.split('/').filter(Boolean)
    if (typeof property === 'string') path.push(property)
    const field = [error.validationContext, ...path].join('.')
    const message = params.additionalProperty ? 'is not allowed' : issue.message ?? 'is invalid'
    return { field, message }
  })
}

/**
 * The database could not be reached, did not answer within `MONGODB_TIMEOUT_MS`, or refused for a passing reason
 * (a lock, a deadlock: `isTransient`). A closed or not yet
 * connected client is the watchdog reconnecting (or the server shutting down).
 */
function isDatabaseUnavailable (error: Error): boolean {
  return error instanceof MongoServerSelectionError || error instanceof MongoNetworkError ||
    error instanceof MongoOperationTimeoutError || error.name === 'MongoWaitQueueTimeoutError' ||
    error instanceof MongoTopologyClosedError || error instanceof MongoNotConnectedError ||
    SOCKET_CLOSED.has((error as NodeJS.ErrnoException).code ?? '') ||
    (error instanceof MongoServerError && Number(error.code) === MAX_TIME_EXPIRED) || isTransient(error)
}

/** Maps any error to the problem it is for the client; what the client must not see is only logged. */
export function toProblem (error: FastifyError): Problem {
  if (error instanceof ProblemError) return error.problem
  if (error.validation) {
    return validationFailed(fieldErrors(error))
  }
  const known = FRAMEWORK_PROBLEMS[error.code]
  if (known) return problem(error.statusCode ?? 400, ...known)
  if (error instanceof SyntaxError && error.statusCode === 400) return problem(400, ...FRAMEWORK_PROBLEMS.FST_ERR_CTP_INVALID_JSON_BODY!)
  if (isDatabaseUnavailable(error)) return DATABASE_UNAVAILABLE
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) return problem(status, 'BAD_REQUEST', 'The request could not be processed.')
  return INTERNAL_ERROR
}

// Node's parser errors for requests too malformed to reach Fastify's routing; anything else is a 400.
const CLIENT_ERRORS: Record<string, [status: number, code: string, detail: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request headers are larger than this API accepts.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive.']
}

// A request line whose method Node's parser does not know (`get`, `FOO`): the method and target, to answer 405 or 404.
const UNKNOWN_METHOD_LINE = /^([!#$%&'*+.^`|~\w-]+) (\S+) HTTP\/1\.[01]\r?\n/

/** Writes a problem as the whole answer on a raw socket, then closes the connection. */
export function answerOnSocket (socket: Socket, body: Problem, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  socket.end([
    `HTTP/1.1 ${body.status} ${body.title}`,
    'Content-Type: application/problem+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
    '',
    text
  ].join('\r\n'))
}

/** Answers `method` at `target` on a raw socket as Fastify answers a pair no route serves: 405 with `Allow`, or 404. */
export function answerUnroutedOnSocket (socket: Socket, routes: RouteMethods, method: string, target: string): void {
  const { problem: body, allow } = unroutedProblem(routes, method, target)
  answerOnSocket(socket, body, allow ? { Allow: allow } : {})
}

/**
 * Answers a request Node's HTTP parser rejected (bad request line, oversized headers, …) on the raw socket, with
 * a problem like every other error. A method token the parser does not know is answered as Fastify would answer
 * a method no route serves (405 with `Allow`, or 404), from the routes in `routes`.
 */
export function clientError (routes: RouteMethods) {
  return function (error: Error & { code?: string, rawPacket?: unknown }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || !socket.writable) return
    const { rawPacket } = error
    const line = error.code === 'HPE_INVALID_METHOD' && Buffer.isBuffer(rawPacket) ? UNKNOWN_METHOD_LINE.exec(rawPacket.toString('latin1')) : null
    if (line) return answerUnroutedOnSocket(socket, routes, line[1]!, line[2]!)
    answerOnSocket(socket, problem(...(CLIENT_ERRORS[error.code ?? ''] ?? [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP.'])))
  }
}

/** Every error a handler or Fastify itself raises is answered as application/problem+json. */
export default fp(async function problems (fastify: FastifyInstance) {
  fastify.setErrorHandler(function (error: FastifyError, request, reply) {
    const body = toProblem(error)
    if (body.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ code: body.code, err: error.message }, 'request rejected')
    return send(reply, body)
  })
}, { name: 'problems' })
