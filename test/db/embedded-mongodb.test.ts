import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MongoClient } from 'mongodb'
import t from 'tap'
import { startEmbeddedMongoDB } from '../../src/db/embedded-mongodb.ts'
import { mongodbAnswers } from '../../src/db/mongodb-source.ts'
import { freePort } from '../run-script.ts'
import { systemMongodSkip } from '../system-mongod.ts'

async function withClient<T> (url: string, use: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = await MongoClient.connect(url, { serverSelectionTimeoutMS: 10_000 })
  try {
    return await use(client)
  } finally {
    await client.close()
  }
}

t.test('a persistent embedded MongoDB is a writable replica set of one whose data survives a stop and a start', { skip: systemMongodSkip }, async t => {
  const dbPath = await mkdtemp(join(tmpdir(), 'songs-api-embedded-'))
  t.teardown(() => rm(dbPath, { recursive: true, force: true }))
  const port = await freePort()
  const announced: string[] = []
  const options = { databaseName: 'songs', port, dbPath, announce: (line: string) => announced.push(line) }

  const first = await startEmbeddedMongoDB(options)
  t.match(first.url, new RegExp(`^mongodb://127\\.0\\.0\\.1:${port}/songs\\?replicaSet=songs`), 'its URL names the port, the database and the set')
  await withClient(first.url, async client => {
    const hello = await client.db().admin().command({ hello: 1 })
    t.match(hello, { setName: 'songs', isWritablePrimary: true }, 'one member, the primary')
    await client.db().collection('kept').insertOne({ _id: 'a rating' as never }, { writeConcern: { w: 'majority' } })
  })
  await first.stop()
  t.equal(await mongodbAnswers(first.url, 500), false, 'stop() stops the mongod')

  const second = await startEmbeddedMongoDB(options)
  t.teardown(second.stop)
  t.equal(await withClient(second.url, client => client.db().collection('kept').countDocuments({ _id: 'a rating' as never })), 1,
    'the document written before the restart is there')
  t.same(announced, [], 'nothing was downloaded: the given mongod was used')
})

t.test('without a data directory it runs on a free port and leaves nothing behind', { skip: systemMongodSkip }, async t => {
  const embedded = await startEmbeddedMongoDB({ databaseName: 'songs_test', announce: () => {} })
  t.equal(await mongodbAnswers(embedded.url), true, 'it answers')
  await embedded.stop()
  t.equal(await mongodbAnswers(embedded.url, 500), false, 'stopped')
})
