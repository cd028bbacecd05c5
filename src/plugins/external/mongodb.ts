import fastifyMongodb from '@fastify/mongodb'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { MongoClient } from 'mongodb'
import { observeMongoClient } from '../../lib/mongodb-metrics.ts'

export default fp(async function mongodb (fastify: FastifyInstance) {
  const timeout = fastify.config.mongodbTimeoutMs
  // A slow or absent database must give a quick 503, never a request that hangs: every wait is bounded, and each
  // operation has a deadline besides (src/db/deadline.ts). Server-side work is bounded too, by the `maxTimeMS` the
  // repository passes with each query.
  const client = new MongoClient(fastify.config.mongodbUrl, {
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
    socketTimeoutMS: timeout,
    waitQueueTimeoutMS: timeout,
    monitorCommands: true
  })
  observeMongoClient(client, [fastify.metricsRegistry])
  await client.connect()
  fastify.addHook('onClose', () => client.close(true))
  await fastify.register(fastifyMongodb, { client, database: fastify.config.databaseName })
}, { name: 'mongodb', dependencies: ['metrics'] })
