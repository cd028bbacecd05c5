import { MongoClient, ObjectId, type Document } from 'mongodb'
import t from 'tap'
import { MAX_READ_BATCH, readBatch, readByIds } from '../../src/db/read-batch.ts'
import { testDatabase } from '../helper.ts'

// Past an engine's default first batch (101 documents): FerretDB 1 and FerretDB 2 + DocumentDB answer a
// single-batch read without `batchSize` with 101 documents, whatever its limit.

const DOCUMENTS = 2500

const { url, db } = await testDatabase(t)
const items = db.collection<{ _id: ObjectId, n: number }>('items')
const ids = Array.from({ length: DOCUMENTS }, () => new ObjectId())
await items.insertMany(ids.map((_id, n) => ({ _id, n })))

t.test('a read of N documents gets N when they exist, and every match when fewer do', async t => {
  for (const count of [1, 101, 102, 300, MAX_READ_BATCH]) {
    const docs = await readBatch(items, {}, count, { sort: { _id: 1 }, hint: { _id: 1 } })
    t.same(docs.map(doc => doc.n), Array.from({ length: count }, (_, n) => n), `${count} asked, the first ${count} in order`)
  }
  const tail = await readBatch(items, { _id: { $gt: ids[DOCUMENTS - 250]! } }, MAX_READ_BATCH, { sort: { _id: 1 } })
  t.equal(tail.length, 249, 'fewer than asked only when no more match')
  t.same(await readBatch(items, {}, 0), [], 'none asked, none read')
})

t.test('a read leaves no server cursor open', async t => {
  const client = await MongoClient.connect(url, { monitorCommands: true })
  t.teardown(() => client.close())
  const replies: Array<{ id: unknown, batch: number }> = []
  client.on('commandSucceeded', event => {
    if (event.commandName === 'find') replies.push({ id: String((event.reply as Document).cursor.id), batch: (event.reply as Document).cursor.firstBatch.length })
  })
  const seen: string[] = []
  client.on('commandStarted', event => seen.push(event.commandName))
  await readBatch(client.db().collection('items'), {}, 300, { sort: { _id: 1 } })
  t.same(replies, [{ id: '0', batch: 300 }], 'one find, its 300 documents in the first batch, the cursor closed')
  t.notOk(seen.includes('getMore') || seen.includes('killCursors'), `no getMore or killCursors: ${seen.join(', ')}`)
})

t.test('a read asking for more than one batch may hold is refused before it is sent', async t => {
  await t.rejects(readBatch(items, {}, MAX_READ_BATCH + 1), RangeError)
  await t.rejects(readBatch(items, {}, -1), RangeError)
})

t.test('reading by ids: every id that exists, past one read\'s size', async t => {
  const wanted = [...ids.slice(0, 2200), new ObjectId(), ...ids.slice(2300)]
  const found = await readByIds(items, wanted, { projection: { n: 1 } })
  t.equal(found.length, 2400, 'the 2,400 that exist of 2,401 asked, read in three batches')
  t.same(new Set(found.map(doc => doc._id.toHexString())), new Set([...ids.slice(0, 2200), ...ids.slice(2300)].map(id => id.toHexString())))
  t.same(await readByIds(items, []), [])
})
