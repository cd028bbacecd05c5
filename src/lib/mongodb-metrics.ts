import type { MongoClient } from 'mongodb'
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

/**
 * Turns the driver's connection-pool and command-monitoring events into Prometheus series. Attach before
 * `connect()`, so the first connections are counted too; the client needs `monitorCommands: true`.
 */
export function observeMongoClient (client: MongoClient, registers: Registry[]): void {
  const connections = new Gauge({ name: 'mongodb_pool_connections', help: 'Open connections in the driver pool', registers })
  const checkedOut = new Gauge({ name: 'mongodb_pool_connections_checked_out', help: 'Pool connections in use by an operation', registers })
  const checkoutFailures = new Counter({ name: 'mongodb_pool_checkout_failures_total', help: 'Pool checkouts that failed, by reason', labelNames: ['reason'], registers })
  const poolCleared = new Counter({ name: 'mongodb_pool_cleared_total', help: 'Times the pool was cleared after a server or network error', registers })
  const commandDuration = new Histogram({
    name: 'mongodb_command_duration_seconds',
    help: 'Duration of successful MongoDB commands, by command name',
    labelNames: ['command'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers
  })
  const commandFailures = new Counter({ name: 'mongodb_command_failures_total', help: 'MongoDB commands that failed, by command name', labelNames: ['command'], registers })

  client.on('connectionCreated', () => connections.inc())
  client.on('connectionClosed', () => connections.dec())
  client.on('connectionCheckedOut', () => checkedOut.inc())
  client.on('connectionCheckedIn', () => checkedOut.dec())
  client.on('connectionCheckOutFailed', event => checkoutFailures.inc({ reason: String(event.reason) }))
  client.on('connectionPoolCleared', () => poolCleared.inc())
  client.on('commandSucceeded', event => commandDuration.observe({ command: event.commandName }, event.duration / 1000))
  client.on('commandFailed', event => commandFailures.inc({ command: event.commandName }))
}
