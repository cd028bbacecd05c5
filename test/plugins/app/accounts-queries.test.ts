import { MongoClient, ObjectId, type CommandStartedEvent, type Document } from 'mongodb'
import t, { type Test } from 'tap'
import { collections as collectionsOf } from '../../../src/db/collections.ts'
import { ensureIndexes } from '../../../src/db/indexes.ts'
import { engineOf } from '../../../src/db/engine.ts'
import { accountDeletions } from '../../../src/db/account-deletions.ts'
import { decodeTextCursor } from '../../../src/lib/cursor.ts'
import { passwordManager } from '../../../src/plugins/app/password-manager.ts'
import { refreshTokensRepository } from '../../../src/plugins/app/refresh-tokens-repository.ts'
import { userDirectoryRepository } from '../../../src/plugins/app/user-directory-repository.ts'
import { usersRepository } from '../../../src/plugins/app/users-repository.ts'
import { testDatabase } from '../../helper.ts'
import { planOf } from '../../query-plan.ts'

// The accounts repositories' own calls, as the driver sent them: bounded reads in one batch, on indexed fields only.
const QUERIES = ['find', 'findAndModify', 'update', 'delete']
// What the indexes of src/db/indexes.ts cover.
const INDEXED = { users: [['_id'], ['username']], refresh_tokens: [['_id'], ['user_id']] } as Record<string, string[][]>

/** A fresh database with its indexes, and its collections on a client that records every command it sends. */
async function recordedDatabase (t: Test) {
  const { url, db } = await testDatabase(t)
  const engine = await engineOf(db)
  const client = new MongoClient(url, { monitorCommands: true })
  t.teardown(() => client.close())
  const sent: CommandStartedEvent[] = []
  client.on('commandStarted', event => sent.push(event))
  const collections = collectionsOf(client.db())
  await ensureIndexes(collections)
  return { db, engine, sent, collections }
}

t.test('every accounts query is a point read or write on an index, and every find reads one batch of one document', async t => {
  const { db, engine, sent, collections } = await recordedDatabase(t)
  const users = usersRepository(collections, await passwordManager(), { maxTimeMS: 10_000 })
  const tokens = refreshTokensRepository(collections, { ttlSeconds: 3600, maxTimeMS: 10_000 })

  sent.length = 0
  const user = (await users.create('Queried', 'a long enough password'))!
  await users.signIn('queried', 'a long enough password')
  await users.signIn('nobody', 'a long enough password')
  await users.access(new ObjectId(user.id))
  await users.findById(new ObjectId(user.id))
  await users.makeAdmin('queried', 'a long enough password')
  await users.changePassword(new ObjectId(user.id), 'not the password', 'another long password')
  await users.changePassword(new ObjectId(user.id), 'a long enough password', 'another long password')
  await users.endAllSessions(new ObjectId(user.id))
  const first = await tokens.issue(new ObjectId(user.id), 2)
  const second = (await tokens.rotate(first))!.token
  await tokens.rotate(first) // reuse: revokes every token of the user
  await tokens.revoke(second)

  const queries = sent.filter(event => QUERIES.includes(event.commandName))
  t.ok(queries.length >= 14, `${queries.length} queries sent`)
  for (const { commandName, command } of queries) {
    const collection = String(command[commandName])
    const filters: Document[] = commandName === 'update'
      ? (command.updates as Document[]).map(u => u.q as Document)
      : commandName === 'delete' ? (command.deletes as Document[]).map(d => d.q as Document) : [(command.filter ?? command.query) as Document]
    for (const filter of filters) {
      const label = `${commandName} on ${collection} by ${JSON.stringify(filter)}`
      const equalities = Object.entries(filter).filter(([, value]) => !(value && typeof value === 'object' && !(value instanceof ObjectId))).map(([key]) => key)
      t.ok(INDEXED[collection]?.some(index => index.every(field => equalities.includes(field))), `${label}: equality on an indexed field`)
    }
    if (commandName === 'find') t.match(command, { limit: 1, singleBatch: true }, `find on ${collection}: limit 1 in a single batch`)
    if (commandName === 'find' || commandName === 'findAndModify') t.ok(command.maxTimeMS > 0, `${commandName} on ${collection} carries maxTimeMS`)
  }
  if (engine.kind === 'ferretdb-v1') {
    t.comment(`${engine.name}: its explain names no index but _id's (FerretDB 1 pushes down only _id equality and scans for the rest), so there is no plan to check here; MongoDB and PostgreSQL-based engines are checked`)
    return
  }
  for (const { command } of queries.filter(q => q.commandName === 'find')) {
    const label = `find on ${String(command.find)}`
    const plan = await planOf(db, command, 'queryPlanner')
    if (plan.shape === 'mongodb') t.notMatch(plan.stages.join(' '), /COLLSCAN/, `${label}: no collection scan`)
    else if (plan.shape === 'postgresql') t.notOk(plan.nodes.some(node => node.type === 'Seq Scan'), `${label}: no sequential scan of a collection`)
    else throw new Error(`${engine.name} explained as ${plan.shape}`)
  }
})

t.test('the admins\' user pages and the username prefix are one bounded range of the username index; a deletion batch reads by user', async t => {
  const { db, engine, sent, collections } = await recordedDatabase(t)
  // 200 users, 20 of them named al…, so a bounded scan is told apart from one over the collection.
  await collections.users.insertMany(Array.from({ length: 200 }, (_, i) => ({
    _id: new ObjectId(), username: `${i % 10 === 0 ? 'al' : 'zz'}${String(i).padStart(3, '0')}`, password_hash: 'x', roles: ['user'], created_at: new Date()
  })))
  const noDeletions = { delete: async () => 'done' as const }
  const directory = userDirectoryRepository(collections, noDeletions, { maxTimeMS: 10_000 })
  const jobs = accountDeletions(collections, { removeUserRating: async () => true }, { maxTimeMS: 10_000 })
  const secondPage = (await directory.list(5, undefined, 'AL')).next_cursor!
  const reads: [string, () => Promise<unknown>, number][] = [
    ['first page', () => directory.list(10), 10],
    ['next page', () => directory.list(10, 'al150'), 10],
    ['username prefix "AL"', () => directory.list(5, undefined, 'AL'), 5],
    ['username prefix, next page', () => directory.list(5, decodeTextCursor(secondPage), 'al'), 5],
    ['a deletion batch', () => jobs.work({ _id: new ObjectId(), requested_at: new Date(0), lease_until: new Date(), owner: 'x', removed_ratings: 0 }, 'x', { maxBatches: 1 }), 0]
  ]
  for (const [name, read, limit] of reads) {
    sent.length = 0
    await read()
    const find = sent.find(event => event.commandName === 'find')!.command
    if (name.startsWith('a deletion')) {
      t.match(find, { find: 'user_ratings', filter: { user_id: ObjectId }, singleBatch: true }, `${name}: the user's ratings, one bounded batch`)
    } else {
      t.match(find, { find: 'users', hint: { username: 1 }, limit: limit + 1, singleBatch: true, projection: { password_hash: 0 } }, `${name}: the username index, one batch of limit + 1, no hash`)
      // The driver sends a sort as a Map.
      t.same(Object.fromEntries(find.sort instanceof Map ? find.sort : Object.entries(find.sort as object)), { username: 1 }, `${name}: in username order`)
      const range = (find.filter as Document).username as Document | undefined
      if (name.includes('prefix')) t.match(range, { $lt: /^al\uffff$/ }, `${name}: bounded above by the prefix`)
      if (name.includes('prefix')) t.ok(range?.$gte === 'al' || typeof range?.$gt === 'string', `${name}: bounded below, lower-cased`)
    }
    if (engine.kind === 'ferretdb-v1') continue
    const plan = await planOf(db, find, 'executionStats')
    if (plan.shape === 'mongodb') {
      t.comment(`${name}: ${plan.stages.join(' <- ')}; keys examined ${plan.keysExamined}, documents ${plan.docsExamined}, returned ${plan.returned}`)
      t.notMatch(plan.stages.join(' '), /COLLSCAN|SORT\b/, `${name}: an index walked in order, no scan, no sort`)
      t.ok(plan.keysExamined <= plan.returned + 1, `${name}: keys examined ≤ returned + 1`)
    } else if (plan.shape === 'postgresql') {
      t.notOk(plan.nodes.some(node => node.type === 'Seq Scan'), `${name}: no sequential scan`)
    }
  }
  if (engine.kind === 'ferretdb-v1') t.comment(`${engine.name}: its explain names no index but _id's, so the commands sent are what is checked here; the plans are checked on MongoDB and PostgreSQL-based engines`)
})
