import { MongoBulkWriteError, MongoRuntimeError, type AnyBulkWriteOperation, type Collection, type Document, type Filter } from 'mongodb'
import { deadline } from './deadline.ts'
import { isDuplicateKey } from './engine-errors.ts'

/**
 * The most operations one write command carries. `hello` advertises `maxWriteBatchSize: 100000` on MongoDB and on
 * FerretDB 2 + DocumentDB, and the driver splits only there, but DocumentDB refuses any command of more than 25,000
 * (code 16 `InvalidLength`, nothing of it written); a thousand is well within every engine's limit and costs one
 * round trip per thousand writes. Also the most ids one `$in` of a bulk delete lists.
 */
export const MAX_WRITE_BATCH = 1000

/**
 * The most updates one write command carries: FerretDB 1.24 (SQLite) never answers an update command of 100 or
 * more statements that match existing documents (99 answer in 0.2 s), and that database's writes stay stuck behind
 * it. Fifty a command is well clear of it, and on other engines costs a round trip per fifty updates of a bulk job.
 */
export const MAX_UPDATE_BATCH = 50

/** What a bulk write did, summed over its commands; `duplicates` are the indexes of the operations a unique index refused. */
export interface BulkOutcome {
  inserted: number
  matched: number
  modified: number
  deleted: number
  upserted: number
  /** The `_id`s the upserts created. */
  upsertedIds: unknown[]
  duplicates: Set<number>
}

/**
 * The write errors of a bulk write when every one of them is a duplicate key (those documents were there already);
 * anything else is rethrown. A command the engine refused as a whole (a batch too large, a timeout, a lost
 * connection) is a `MongoBulkWriteError` with no write errors at all: that is a failure, never "already there".
 */
export function duplicatesOnly (error: unknown): MongoBulkWriteError {
  if (!(error instanceof MongoBulkWriteError)) throw error
  const writeErrors = [error.writeErrors].flat()
  if (writeErrors.length === 0 || !writeErrors.every(isDuplicateKey) || error.result?.getWriteConcernError() !== undefined) throw error
  return error
}

/**
 * Carries out `operations` unordered, in commands of at most MAX_WRITE_BATCH (MAX_UPDATE_BATCH when there are
 * updates among them), one after another. With
 * `skipDuplicates`, an operation a unique index refuses is reported in `duplicates` instead of failing the
 * write; any other failure is thrown, after the commands before it were carried out (each operation here can be
 * done again). Inserts are counted: an engine that stored fewer than it was sent without saying why is an error.
 * `timeoutMs` gives each command the client's deadline; a script's bulk work goes without.
 */
export async function writeInBatches<T extends Document> (
  collection: Collection<T>, operations: AnyBulkWriteOperation<T>[], { skipDuplicates = false, timeoutMs }: { skipDuplicates?: boolean, timeoutMs?: number } = {}
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { inserted: 0, matched: 0, modified: 0, deleted: 0, upserted: 0, upsertedIds: [], duplicates: new Set() }
  const size = operations.some(operation => 'updateOne' in operation || 'updateMany' in operation || 'replaceOne' in operation) ? MAX_UPDATE_BATCH : MAX_WRITE_BATCH
  for (let start = 0; start < operations.length; start += size) {
    const batch = operations.slice(start, start + size)
    let result
    let duplicates: number[] = []
    try {
      result = await collection.bulkWrite(batch, { ordered: false, ...deadline(timeoutMs) })
    } catch (error) {
      if (!skipDuplicates) throw error
      const refused = duplicatesOnly(error)
      result = refused.result
      duplicates = [refused.writeErrors].flat().map(e => e.index)
    }
    const inserts = batch.filter(operation => 'insertOne' in operation).length
    if (inserts === batch.length && result.insertedCount + duplicates.length !== inserts) {
      throw new MongoRuntimeError(`the database stored ${result.insertedCount} of ${inserts} documents sent to ${collection.collectionName}, and refused ${duplicates.length} as already there`)
    }
    outcome.inserted += result.insertedCount
    outcome.matched += result.matchedCount
    outcome.modified += result.modifiedCount
    outcome.deleted += result.deletedCount
    outcome.upserted += result.upsertedCount
    outcome.upsertedIds.push(...Object.values(result.upsertedIds))
    for (const index of duplicates) outcome.duplicates.add(start + index)
  }
  return outcome
}

/** Deletes the documents of `ids`, in commands of at most MAX_WRITE_BATCH ids each; returns how many it deleted. */
export async function deleteByIds<T extends Document> (collection: Collection<T>, ids: unknown[], timeoutMs?: number): Promise<number> {
  let deleted = 0
  for (let start = 0; start < ids.length; start += MAX_WRITE_BATCH) {
    deleted += (await collection.deleteMany({ _id: { $in: ids.slice(start, start + MAX_WRITE_BATCH) } } as Filter<T>, deadline(timeoutMs))).deletedCount
  }
  return deleted
}
