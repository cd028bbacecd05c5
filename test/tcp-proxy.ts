import { createServer, connect, type Socket } from 'node:net'

/**
 * A TCP proxy the test controls: `cut()` drops every connection and refuses new ones, as a database
 * outage would; `restore()` lets traffic through again; `setLatency(ms)` holds every reply that long, as a
 * slow database or network would. Works the same against any MongoDB-wire server.
 */
export async function tcpProxy (targetHost: string, targetPort: number) {
  const sockets = new Set<Socket>()
  let open = true
  let latencyMs = 0
  const server = createServer(client => {
    if (!open) return client.destroy()
    const upstream = connect(targetPort, targetHost)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => { client.destroy(); upstream.destroy() })
    }
    client.pipe(upstream)
    // Each reply chunk leaves `latencyMs` after it came, never before the one ahead of it.
    let lastDue = 0
    upstream.on('data', chunk => {
      const due = Math.max(Date.now() + latencyMs, lastDue)
      lastDue = due
      if (due <= Date.now()) client.write(chunk)
      else setTimeout(() => client.writable && client.write(chunk), due - Date.now())
    })
    upstream.on('end', () => setTimeout(() => client.end(), Math.max(0, lastDue - Date.now())))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy has no port')
  return {
    port: address.port,
    cut () {
      open = false
      for (const socket of sockets) socket.destroy()
    },
    restore () { open = true },
    setLatency (ms: number) { latencyMs = ms },
    close: () => new Promise<void>(resolve => { for (const socket of sockets) socket.destroy(); server.close(() => resolve()) })
  }
}
