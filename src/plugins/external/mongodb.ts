import fastifyMongodb from '@fastify/mongodb'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export default fp(async function mongodb (fastify: FastifyInstance) {
  await fastify.register(fastifyMongodb, {
    url: fastify.config.mongodbUrl,
    database: fastify.config.databaseName,
    // Fail fast when the database is away: a quick 503 beats a request that hangs.
    serverSelectionTimeoutMS: 5000,
    // Also bounds each heartbeat, which the database watchdog relies on to tell a slow heartbeat from a hung one.
    connectTimeoutMS: 5000,
    forceClose: true
  })
}, { name: 'mongodb' })
