import { connect } from 'node:net'

export interface RawResponse { status: number, headers: Record<string, string>, body: string }

/**
 * Sends bytes as they are to a server on 127.0.0.1 and reads the answer until the server closes: no HTTP client
 * in between to fix up, encode or refuse what a hostile client would send.
 */
export function rawRequest (port: number, request: Buffer | string, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect(port, '127.0.0.1', () => socket.write(request, () => {}))
    socket.setTimeout(timeoutMs, () => { socket.destroy(); reject(new Error(`no answer within ${timeoutMs} ms`)) })
    socket.on('data', chunk => chunks.push(chunk))
    // The server may answer (413, 400) and close before it has read all a large request: keep what came back.
    socket.on('error', () => socket.destroy())
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1')
      const split = text.indexOf('\r\n\r\n')
      if (split < 0) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`))
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n')
      const headers = Object.fromEntries(lines.map(line => {
        const colon = line.indexOf(':')
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]
      }))
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: Buffer.from(text.slice(split + 4), 'latin1').toString('utf8') })
    })
  })
}

/** A well-formed HTTP/1.1 request whose target and body go on the wire byte for byte. */
export function httpRequest (method: string, target: string | Buffer, headers: Record<string, string> = {}, body?: string | Buffer): Buffer {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body)
  const head = Object.entries({ host: 'localhost', connection: 'close', ...(body === undefined ? {} : { 'content-length': String(payload.length) }), ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`).join('')
  return Buffer.concat([Buffer.from(`${method} `), Buffer.from(target), Buffer.from(` HTTP/1.1\r\n${head}\r\n`), payload])
}
