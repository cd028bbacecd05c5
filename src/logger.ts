import type { FastifyServerOptions } from 'fastify'

/**
 * The server's log settings. Fastify's request serializer logs no headers or bodies; the redaction is there so that
 * a serializer or log call added later cannot write credentials either.
 */
export function loggerOptions (level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.body.refresh_token', 'res.headers["set-cookie"]'],
      censor: '[redacted]'
    }
  }
}
