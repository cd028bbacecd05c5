import { startEmbeddedMongoDB } from '../src/db/embedded-mongodb.ts'
import { chooseTestSource, type TestSource } from '../src/db/mongodb-source.ts'

export interface TestMongoDB { source: TestSource, url: string, stop: () => Promise<void> }

/** The one message when no MongoDB can be had for the tests: every way to get one, and why the last try failed. */
export function noTestDatabase (reason: string): string {
  return `The tests need a MongoDB. Get one of these:
  - set MONGODB_URL to a MongoDB-wire server (e.g. MONGODB_URL=mongodb://127.0.0.1:27017/songs npm test)
  - run Docker: testcontainers then starts mongo:7 for the run
  - let the embedded MongoDB start: it is downloaded once (about 70 MB, needs internet), or set
    MONGOMS_SYSTEM_BINARY to a mongod you have
(${reason})`
}

/** Docker, as testcontainers finds it (DOCKER_HOST, the usual sockets, ~/.testcontainers.properties). */
export async function dockerAvailable (): Promise<boolean> {
  const { getContainerRuntimeClient } = await import('testcontainers')
  return getContainerRuntimeClient().then(() => true, () => false)
}

async function startContainer (): Promise<Omit<TestMongoDB, 'source'>> {
  const { GenericContainer, Wait } = await import('testcontainers')
  const container = await new GenericContainer('mongo:7')
    .withExposedPorts(27017)
    .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
    .start()
  return {
    url: `mongodb://${container.getHost()}:${container.getMappedPort(27017)}/songs`,
    stop: async () => { await container.stop() }
  }
}

async function startEmbedded (): Promise<Omit<TestMongoDB, 'source'>> {
  // A temporary data directory on a free port, removed on stop: nothing of a test run is kept.
  return await startEmbeddedMongoDB({ databaseName: 'songs', announce: line => process.stderr.write(`${line}\n`) })
}

/**
 * One MongoDB for a whole test run, in the order `MONGODB_URL` → a mongo:7 container (Docker) → an embedded
 * MongoDB. Each test file still works in a database of its own on it (test/helper.ts).
 */
export async function startTestMongoDB (env: NodeJS.ProcessEnv = process.env): Promise<TestMongoDB> {
  const source = await chooseTestSource({ mongodbUrlSet: Boolean(env.MONGODB_URL), dockerAvailable })
  if (source === 'configured') return { source, url: env.MONGODB_URL!, stop: async () => {} }
  try {
    return { source, ...await (source === 'container' ? startContainer() : startEmbedded()) }
  } catch (error) {
    throw new Error(noTestDatabase(`${source === 'container' ? 'mongo:7 container' : 'embedded MongoDB'}: ${(error as Error).message}`))
  }
}
