import type { FastifyPluginAsync } from 'fastify'
import health from './health.ts'
import ready from './ready.ts'

/** Probes for the container runtime and the load balancer. */
const operations: FastifyPluginAsync = async function (fastify) {
  await fastify.register(health)
  await fastify.register(ready)
}

export default operations
