import type AjvCompiler from '@fastify/ajv-compiler'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Server } from 'node:http'
import Fastify, { type FastifyHttpOptions } from 'fastify'
import type { Config } from './config.ts'
import database from './plugins/app/database.ts'
import { methodNotAllowed } from './plugins/app/method-not-allowed.ts'
import problems, { send, toProblem } from './plugins/app/problems.ts'
import songsRepository from './plugins/app/songs-repository.ts'
import etag from './plugins/external/etag.ts'
import mongodb from './plugins/external/mongodb.ts'
import rateLimit from './plugins/external/rate-limit.ts'
import swagger from './plugins/external/swagger.ts'
import songs from './routes/songs/index.ts'
import { ajvOptions, buildValidator } from './validator.ts'
import { sharedSchemas } from './schemas/index.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

export async function buildApp (config: Config, options: FastifyHttpOptions<Server> = {}) {
  const fastify = Fastify({
    bodyLimit: 16 * 1024,
    ajv: ajvOptions,
    // Fastify's factory type says it returns a bare Ajv compile function; it really takes the route definition.
    schemaController: { compilersFactory: { buildValidator: buildValidator as unknown as AjvCompiler.BuildCompilerFromPool } },
    frameworkErrors: (error, _request, reply) => send(reply, toProblem(error)),
    ...options
  }).withTypeProvider<TypeBoxTypeProvider>()

  // JSON only: any other body type is a 415, not a string handed to validation.
  fastify.removeContentTypeParser('text/plain')
  fastify.decorate('config', config)
  for (const schema of sharedSchemas) fastify.addSchema(schema)

  await fastify.register(rateLimit)
  await fastify.register(problems)
  await fastify.register(etag)
  await fastify.register(swagger)
  await fastify.register(mongodb)
  await fastify.register(database, { seedFile: config.seedFile })
  await fastify.register(songsRepository)

  const answerOtherMethods = methodNotAllowed(fastify)
  await fastify.register(songs, { prefix: '/songs' })
  answerOtherMethods()

  return fastify
}
