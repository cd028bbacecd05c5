import { MongoClient } from 'mongodb'

/**
 * Where `npm start` gets its MongoDB: the configured `MONGODB_URL`, else a MongoDB already answering on the local
 * port, else an embedded one it starts. Production never starts an embedded database: without `MONGODB_URL` it
 * goes to the local port and fails there if nothing answers.
 */
export type ServerSource = 'configured' | 'local' | 'embedded'

/** Where `npm test` gets its MongoDB: `MONGODB_URL`, else a mongo:7 container (Docker), else an embedded one. */
export type TestSource = 'configured' | 'container' | 'embedded'

/** The probes are only called when the answer depends on them (no connection attempt when `MONGODB_URL` is set). */
export async function chooseServerSource ({ mongodbUrlSet, production, localAnswers }: {
  mongodbUrlSet: boolean
  production: boolean
  localAnswers: () => Promise<boolean>
}): Promise<ServerSource> {
  if (mongodbUrlSet) return 'configured'
  if (production || await localAnswers()) return 'local'
  return 'embedded'
}

export async function chooseTestSource ({ mongodbUrlSet, dockerAvailable }: {
  mongodbUrlSet: boolean
  dockerAvailable: () => Promise<boolean>
}): Promise<TestSource> {
  if (mongodbUrlSet) return 'configured'
  return await dockerAvailable() ? 'container' : 'embedded'
}

/** Whether a MongoDB answers a ping at `url` within `timeoutMs` (a port that is merely open does not count). */
export async function mongodbAnswers (url: string, timeoutMs = 1000): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs, directConnection: true })
  try {
    await client.db('admin').command({ ping: 1 })
    return true
  } catch {
    return false
  } finally {
    await client.close()
  }
}
