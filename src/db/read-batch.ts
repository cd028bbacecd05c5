import type { Collection, Document, Filter, FindOptions, WithId } from 'mongodb'

/**
 * The most documents one read asks for. Every read here is of small documents (a search term is one short `_id`;
 * a song, search prefixes included, is at most about 125 KB at the schema's longest names), so this many fit in
 * one reply under the 16 MiB every engine allows: an engine cannot have cut a batch by its size.
 */
export const MAX_READ_BATCH = 1000

/**
 * Up to `count` documents in one batch, with no server cursor left open: the one way this project reads a bounded
 * number of documents. `limit`, `batchSize` and `singleBatch` go together: with `singleBatch` and no `batchSize`,
 * FerretDB 1 and FerretDB 2 + DocumentDB answer their default first batch of 101 documents and close the cursor
 * whatever the limit (MongoDB had the same behaviour before SERVER-24727), so a read asking for 300 silently got
 * 101. With all three, a read that returns fewer than `count` documents has read every match.
 */
export async function readBatch<T extends Document> (collection: Collection<T>, filter: Filter<T>, count: number, options: Omit<FindOptions, 'limit' | 'batchSize' | 'singleBatch'> = {}): Promise<WithId<T>[]> {
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_READ_BATCH) throw new RangeError(`a read batch is 0 to ${MAX_READ_BATCH} documents, not ${count}`)
  if (count === 0) return []
  return collection.find(filter, { ...options, limit: count, batchSize: count, singleBatch: true }).toArray()
}

/** The documents of `ids` that exist, in reads of at most MAX_READ_BATCH ids each, one after another. */
export async function readByIds<T extends Document> (collection: Collection<T>, ids: WithId<T>['_id'][], options: Omit<FindOptions, 'limit' | 'batchSize' | 'singleBatch' | 'sort'> = {}): Promise<WithId<T>[]> {
  const found: WithId<T>[] = []
  for (let start = 0; start < ids.length; start += MAX_READ_BATCH) {
    const slice = ids.slice(start, start + MAX_READ_BATCH)
    found.push(...await readBatch(collection, { _id: { $in: slice } } as Filter<T>, slice.length, options))
  }
  return found
}
