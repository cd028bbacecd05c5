import type AjvCompiler from '@fastify/ajv-compiler'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Server } from 'node:http'
import Fastify, { type FastifyHttpOptions } from 'fastify'
import type { Config } from './config.ts'
import accountDeletions from './plugins/app/account-deletions.ts'
import accountExportRepository from './plugins/app/account-export-repository.ts'
import adminBootstrap from './plugins/app/admin-bootstrap.ts'
import auditLog from './plugins/app/audit-log.ts'
import authentication from './plugins/app/authentication.ts'
import database from './plugins/app/database.ts'
import databaseWatchdog from './plugins/app/database-watchdog.ts'
import drain from './plugins/app/drain.ts'
import methodNotAllowed from './plugins/app/method-not-allowed.ts'
import passwordManager from './plugins/app/password-manager.ts'
import problems, { clientError, send, toProblem } from './plugins/app/problems.ts'
import refreshTokensRepository from './plugins/app/refresh-tokens-repository.ts'
import requestId, { REQUEST_ID_HEADER, requestIdOf } from './plugins/app/request-id.ts'
import catalogRepository from './plugins/app/catalog-repository.ts'
import ratingsRepository from './plugins/app/ratings-repository.ts'
import signInLimiter from './plugins/app/sign-in-limiter.ts'
import userDirectoryRepository from './plugins/app/user-directory-repository.ts'
import usersRepository from './plugins/app/users-repository.ts'
import cors from './plugins/external/cors.ts'
import etag from './plugins/external/etag.ts'
import helmet from './plugins/external/helmet.ts'
import jwt from './plugins/external/jwt.ts'
import metrics from './plugins/external/metrics.ts'
import mongodb from './plugins/external/mongodb.ts'
import rateLimit from './plugins/external/rate-limit.ts'
import redis from './plugins/external/redis.ts'
import swagger from './plugins/external/swagger.ts'
import underPressure from './plugins/external/under-pressure.ts'
import auth from './routes/auth/index.ts'
import operations from './routes/operations/index.ts'
import songs from './routes/songs/index.ts'
import { RouteMethods } from './lib/route-methods.ts'
import users from './routes/users/index.ts'
import userRatings from './routes/user-ratings/index.ts'
import { ajvOptions, buildValidator } from './validator.ts'
import { sharedSchemas } from './schemas/index.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

/**
 * `{ database: false }` builds every route without connecting to MongoDB: enough to generate the OpenAPI
 * document (`npm run openapi`), not to answer requests.
 */
export async function buildApp (config: Config, options: FastifyHttpOptions<Server> = {}, { database: connect = true } = {}) {
  // Filled as routes are added; answers wrong methods, including those Node's parser refuses (clientError).
  const routes = new RouteMethods()
  const fastify = Fastify({
    bodyLimit: 16 * 1024,
    ajv: ajvOptions,
    // Fastify's factory type says it returns a bare Ajv compile function; it really takes the route definition.
    schemaController: { compilersFactory: { buildValidator: buildValidator as unknown as AjvCompiler.BuildCompilerFromPool } },
    // Answered before any hook runs, so the request id is echoed here too.
    frameworkErrors: (error, request, reply) => send(reply.header(REQUEST_ID_HEADER, request.id), toProblem(error)),
    // The id comes from a checked `x-request-id` or is made fresh; never taken from the header unchecked.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // While draining, requests already on an open connection are served (with `Connection: close`), not refused.
    return503OnClosing: false,
    // No overall limit on a plugin's start: the database plugin's work (indexes, the one-time search-term build of
    // a large catalog, the seed) can outlast Fastify's 10 s on a big or busy database, and each of its commands
    // already has its own timeout (MONGODB_TIMEOUT_MS, server selection), so a start cannot hang on one.
    pluginTimeout: 0,
    clientErrorHandler: clientError(routes),
    ...options
  }).withTypeProvider<TypeBoxTypeProvider>()
  // Every route, from the first (GET /metrics) on.
  fastify.addHook('onRoute', route => routes.add([route.method].flat(), route.url))

  // JSON only: any other body type is a 415, not a string handed to validation.
  fastify.removeContentTypeParser('text/plain')
  fastify.decorate('config', config)
  for (const schema of sharedSchemas) fastify.addSchema(schema)

  await fastify.register(requestId)
  // First, so every route registered after it, third-party ones included, answers errors as problems.
  await fastify.register(problems)
  await fastify.register(drain)
  await fastify.register(metrics)
  await fastify.register(underPressure)
  await fastify.register(helmet)
  await fastify.register(cors)
  await fastify.register(redis)
  await fastify.register(rateLimit)
  await fastify.register(methodNotAllowed, { routes })
  await fastify.register(etag)
  await fastify.register(swagger)
  await fastify.register(jwt)
  if (connect) {
    await fastify.register(mongodb)
    await fastify.register(databaseWatchdog)
    await fastify.register(database, { seedFile: config.seedFile })
    await fastify.register(ratingsRepository)
    await fastify.register(catalogRepository)
    // Accounts
    await fastify.register(passwordManager)
    await fastify.register(usersRepository)
    await fastify.register(refreshTokensRepository)
    await fastify.register(adminBootstrap)
    // Admins and account data
    await fastify.register(accountDeletions)
    await fastify.register(userDirectoryRepository)
    await fastify.register(accountExportRepository)
  }
  await fastify.register(authentication)
  await fastify.register(auditLog)
  await fastify.register(signInLimiter)

  await fastify.register(songs, { prefix: '/songs' })
  await fastify.register(operations)
  await fastify.register(users, { prefix: '/users' })
  await fastify.register(auth, { prefix: '/auth' })
  await fastify.register(userRatings, { prefix: '/users/me/ratings' })

  return fastify
}
