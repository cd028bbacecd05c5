import t from 'tap'
import { MongoBulkWriteError, MongoServerError, type Document } from 'mongodb'
import { isDuplicateKey, isTransient } from '../../src/db/engine-errors.ts'
import { testDatabase } from '../helper.ts'

// The `errorResponse` documents the engines answered (README, "MongoDB-compatible engines"), as the driver hands
// them to a MongoServerError. FerretDB 2 / DocumentDB cannot be installed here: these are its recorded answers.
// [what, errorResponse, a duplicate key?, transient?]
const RECORDED: Array<[what: string, response: Document, duplicateKey: boolean, transient: boolean]> = [
  ['MongoDB: an insert or update breaking a unique index',
    { ok: 0, errmsg: 'E11000 duplicate key error collection: songs.songs index: artist_title_unique dup key: { artist: "A", title: "B" }', code: 11000, codeName: 'DuplicateKey', keyPattern: { artist: 1, title: 1 }, keyValue: { artist: 'A', title: 'B' } }, true, false],
  ['MongoDB: a write conflict in a transaction',
    { ok: 0, errmsg: 'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.', code: 112, codeName: 'WriteConflict', errorLabels: ['TransientTransactionError'] }, false, true],
  ['MongoDB: a primary stepping down under a retryable write',
    { ok: 0, errmsg: 'not primary', code: 10107, codeName: 'NotWritablePrimary', errorLabels: ['RetryableWriteError'] }, false, true],
  ['FerretDB 1: an update breaking a unique index',
    { ok: 0, errmsg: 'UNIQUE constraint failed: songs_test_1.artist, songs_test_1.title', code: 1, codeName: 'InternalError' }, true, false],
  ['FerretDB 1 (SQLite): many writers on one database',
    { ok: 0, errmsg: 'database is locked (5) (SQLITE_BUSY)', code: 1, codeName: 'InternalError' }, false, true],
  ['DocumentDB: an update breaking a unique index (renaming a song onto another)',
    { ok: 0, errmsg: 'conflicting key value violates exclusion constraint "documents_rum_index_1659"', code: 1, codeName: 'InternalError' }, true, false],
  ['DocumentDB: concurrent createIndex on a new database',
    { ok: 0, errmsg: 'deadlock detected', code: 1, codeName: 'InternalError' }, false, true],
  ['any engine: another internal error is neither',
    { ok: 0, errmsg: 'index key too large', code: 1, codeName: 'InternalError' }, false, false],
  ['any engine: a document failing validation is neither',
    { ok: 0, errmsg: 'Document failed validation', code: 121, codeName: 'DocumentValidationFailure' }, false, false]
]

t.test('each recorded answer of each engine is classified by what it is', async t => {
  for (const [what, response, duplicateKey, transient] of RECORDED) {
    const error = new MongoServerError(response)
    t.equal(isDuplicateKey(error), duplicateKey, `${what}: ${duplicateKey ? '' : 'not '}a duplicate key`)
    t.equal(isTransient(error), transient, `${what}: ${transient ? '' : 'not '}transient`)
  }
  // The message alone decides nothing: SQLite's text under another code is not the update refusal.
  t.notOk(isDuplicateKey(new MongoServerError({ ok: 0, errmsg: 'UNIQUE constraint failed: x', code: 2, codeName: 'BadValue' })), 'another code with a like message is not a duplicate')
  t.notOk(isDuplicateKey(new Error('E11000 duplicate key')), 'an error the server did not answer is not a refusal')
  t.notOk(isTransient(undefined))
})

t.test('the running server\'s refusals: an insert and an update breaking a unique index are duplicate keys', async t => {
  const { db } = await testDatabase(t)
  const songs = db.collection('songs')
  await songs.createIndex({ artist: 1, title: 1 }, { unique: true })
  await songs.insertMany([{ artist: 'A', title: 'One' }, { artist: 'A', title: 'Two' }])
  const insert = await songs.insertOne({ artist: 'A', title: 'One' }).catch((error: unknown) => error)
  t.ok(insert instanceof MongoServerError && isDuplicateKey(insert), `insert refused: ${String(insert)}`)
  t.notOk(isTransient(insert))
  const update = await songs.findOneAndUpdate({ title: 'Two' }, { $set: { title: 'One' } }).catch((error: unknown) => error)
  t.ok(update instanceof MongoServerError && isDuplicateKey(update), `update refused: ${String(update)}`)
  const bulk = await songs.insertMany([{ artist: 'A', title: 'One' }, { artist: 'A', title: 'Three' }], { ordered: false }).catch((error: unknown) => error)
  t.ok(bulk instanceof MongoBulkWriteError, 'a bulk insert with one duplicate fails as a bulk write')
  t.same([(bulk as MongoBulkWriteError).writeErrors].flat().map(isDuplicateKey), [true], 'its one write error is a duplicate key')
  t.equal(await songs.countDocuments(), 3, 'nothing else was refused')
})
