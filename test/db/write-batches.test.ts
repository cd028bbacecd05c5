import { MongoBulkWriteError, MongoClient, MongoServerError, type CommandStartedEvent } from 'mongodb'
import t from 'tap'
import { duplicatesOnly, deleteByIds, MAX_UPDATE_BATCH, MAX_WRITE_BATCH, writeInBatches } from '../../src/db/write-batches.ts'
import { testDatabase } from '../helper.ts'

/** The fewest operations a write command may carry on every engine: FerretDB 2 + DocumentDB refuses more. */
const EVERY_ENGINE_ACCEPTS = 25_000

/** The operations each write command sent carried, by command name. */
function commandSizes (client: MongoClient): Array<{ command: string, operations: number }> {
  const sizes: Array<{ command: string, operations: number }> = []
  client.on('commandStarted', (event: CommandStartedEvent) => {
    const list = { insert: 'documents', update: 'updates', delete: 'deletes' }[event.commandName as 'insert' | 'update' | 'delete']
    if (list) sizes.push({ command: event.commandName, operations: event.command[list].length })
  })
  return sizes
}

t.test('updates of 250 existing documents: every one applied, in commands of at most MAX_UPDATE_BATCH (one of 100 never answers on FerretDB 1)', async t => {
  const { url } = await testDatabase(t)
  const client = await MongoClient.connect(url, { monitorCommands: true })
  t.teardown(() => client.close())
  const sizes = commandSizes(client)
  const counters = client.db().collection<{ _id: number, n: number }>('counters')
  await counters.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i, n: 0 })))
  sizes.length = 0
  const outcome = await writeInBatches(counters, Array.from({ length: 250 }, (_, i) => ({ updateOne: { filter: { _id: i }, update: { $inc: { n: i } } } })), { timeoutMs: 60_000 })
  t.equal(outcome.modified, 250)
  t.same((await counters.find().toArray()).filter(counter => counter.n !== counter._id), [], 'each document changed once, by its own update')
  t.ok(sizes.length >= 250 / MAX_UPDATE_BATCH && sizes.every(size => size.operations <= MAX_UPDATE_BATCH && MAX_UPDATE_BATCH < 100), `${sizes.length} commands of at most ${MAX_UPDATE_BATCH}`)
})

t.test('past 25,000 operations: commands of at most MAX_WRITE_BATCH, duplicates reported by their index, nothing lost', async t => {
  const { url } = await testDatabase(t)
  const client = await MongoClient.connect(url, { monitorCommands: true })
  t.teardown(() => client.close())
  const sizes = commandSizes(client)
  const terms = client.db().collection<{ _id: string }>('terms')
  const COUNT = 26_000
  // Every 1,000th document is there already: its insert is a duplicate key, expected.
  await terms.insertMany(Array.from({ length: COUNT / 1000 }, (_, i) => ({ _id: `term ${i * 1000}` })))
  sizes.length = 0
  const outcome = await writeInBatches(terms, Array.from({ length: COUNT }, (_, i) => ({ insertOne: { document: { _id: `term ${i}` } } })), { skipDuplicates: true })
  t.same([...outcome.duplicates].sort((a, b) => a - b), Array.from({ length: COUNT / 1000 }, (_, i) => i * 1000), 'the documents there already, by their index in the whole list')
  t.equal(outcome.inserted, COUNT - COUNT / 1000)
  t.equal(await terms.countDocuments(), COUNT, 'every document stored once')
  t.ok(sizes.length >= COUNT / MAX_WRITE_BATCH, `${sizes.length} commands`)
  t.ok(sizes.every(size => size.operations <= MAX_WRITE_BATCH && MAX_WRITE_BATCH <= EVERY_ENGINE_ACCEPTS), `the largest carried ${Math.max(...sizes.map(size => size.operations))} operations`)

  sizes.length = 0
  const deleted = await deleteByIds(terms, Array.from({ length: 2500 }, (_, i) => `term ${i}`))
  t.equal(deleted, 2500)
  t.ok(sizes.every(size => size.command === 'delete' && size.operations === 1), `one statement a command, ${sizes.length} commands`)
  t.equal(await terms.countDocuments(), COUNT - 2500)
})

t.test('a write error that is not a duplicate key fails the write', async t => {
  const { db } = await testDatabase(t)
  const songs = db.collection('songs')
  await songs.createIndex({ title: 1 }, { unique: true })
  await songs.insertOne({ _id: 'a' as never, title: 'A' })
  // A duplicate `_id`, expected, beside a `$inc` of a string: a write error every engine reports, not a duplicate key.
  await songs.insertOne({ _id: 'b' as never, title: 'B', n: 'text' })
  const failed = writeInBatches(songs, [
    { insertOne: { document: { _id: 'a' as never, title: 'A again' } } },
    { updateOne: { filter: { _id: 'b' as never }, update: { $inc: { n: 1 } } } }
  ], { skipDuplicates: true })
  await t.rejects(failed, MongoBulkWriteError, 'the $inc of a string is not "already there"')
})

t.test('a command refused as a whole (no write errors at all) is an error, never "already there"', async t => {
  const { db } = await testDatabase(t)
  const terms = db.collection<{ _id: string }>('terms')
  await terms.insertOne({ _id: 'a' })
  const duplicate = await terms.insertMany([{ _id: 'a' }, { _id: 'b' }], { ordered: false }).catch((error: unknown) => error) as MongoBulkWriteError
  t.equal(duplicatesOnly(duplicate), duplicate, 'a refusal of duplicates only is what was there already')
  // The answer FerretDB 2.5 + DocumentDB gives to a command of 25,001 operations (recorded in the engines' notes),
  // raised as the driver raises a command error in a bulk write: a MongoBulkWriteError over the running result,
  // whose `writeErrors` is empty, nothing of that command written.
  const refused = new MongoServerError({ ok: 0, errmsg: 'Write batch sizes must be between 1 and 25000. Got 25001 operations.', code: 16, codeName: 'InvalidLength' })
  const error = new MongoBulkWriteError(refused, duplicate.result)
  t.same(error.writeErrors, [], 'as the driver raises it: no write errors')
  t.throws(() => duplicatesOnly(error), error, 'rethrown')
  t.throws(() => duplicatesOnly(refused), refused, 'a plain server error too')
})
