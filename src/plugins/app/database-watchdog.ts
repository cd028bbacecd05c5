import fp from 'fastify-plugin'
import type { ServerHeartbeatStartedEvent } from 'mongodb'

// Time a heartbeat gets beyond its own socket timeout before it counts as hung.
const GRACE_MS = 2000

/**
 * The driver's server monitor (mongodb 7.9) can hang for good when the database drops its connections while a
 * heartbeat is being sent: the write goes to a closed socket and waits for a 'drain' that never comes, so the
 * server stays unknown and every request answers 503 long after the database is back. A heartbeat that neither
 * succeeds nor fails within its own timeout is that hang; the client is then closed and connected again, which
 * starts new monitors. Requests caught by the reconnect answer 503 like any other outage.
 */
export default fp(async function databaseWatchdog (fastify) {
  const client = fastify.mongo.client
  const { connectTimeoutMS, heartbeatFrequencyMS } = client.options
  const pending = new Map<string, NodeJS.Timeout>()
  let closing = false
  let reconnecting = false

  async function reconnect (address: string) {
    if (closing || reconnecting) return
    reconnecting = true
    fastify.log.error({ address }, 'MongoDB server monitor hung; reconnecting the client')
    try {
      await client.close()
      if (!closing) await client.connect()
    } catch (err) {
      // Still unreachable: the next operation connects again by itself.
      fastify.log.warn({ err }, 'reconnecting to MongoDB failed')
    } finally {
      reconnecting = false
    }
  }
  const settle = ({ connectionId: address }: { connectionId: string }) => {
    clearTimeout(pending.get(address))
    pending.delete(address)
  }

  client.on('serverHeartbeatStarted', (event: ServerHeartbeatStartedEvent) => {
    settle(event)
    // An awaited (streaming) heartbeat may rightly wait a heartbeat period for the server's answer.
    const limit = connectTimeoutMS + (event.awaited ? heartbeatFrequencyMS : 0) + GRACE_MS
    pending.set(event.connectionId, setTimeout(() => { reconnect(event.connectionId).catch(() => {}) }, limit).unref())
  })
  client.on('serverHeartbeatSucceeded', settle)
  client.on('serverHeartbeatFailed', settle)
  fastify.addHook('onClose', async () => {
    closing = true
    for (const timer of pending.values()) clearTimeout(timer)
  })
}, { name: 'database-watchdog', dependencies: ['@fastify/mongodb'] })
