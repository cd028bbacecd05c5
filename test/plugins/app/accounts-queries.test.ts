import { MongoClient, ObjectId, type CommandStartedEvent, type Document } from 'mongodb'
import t from 'tap'
import { collections as collectionsOf } from '../../../src/db/collections.ts'
import { ensureIndexes } from '../../../src/db/indexes.ts'
import { engineOf } from '../../../src/db/engine.ts'
import { passwordManager } from '../../../src/plugins/app/password-manager.ts'
import { refreshTokensRepository } from '../../../src/plugins/app/refresh-tokens-repository.ts'
import { usersRepository } from '../../../src/plugins/app/users-repository.ts'
import { testDatabase } from '../../helper.ts'
import { planOf } from '../../query-plan.ts'

// The accounts repositories' own calls, as the driver sent them: bounded reads in one batch, on indexed fields only.
const QUERIES = ['find', 'findAndModify', 'update', 'delete']
// What the indexes of src/db/indexes.ts cover.
const INDEXED = { users: [['_id'], ['username']], refresh_tokens: [['_id'], ['user_id']] } as Record<string, string[][]>

t.test('every accounts query is a point read or write on an index, and every find reads one batch of one document', async t => {
  const { url, db } = await testDatabase(t)
  const engine = await engineOf(db)
  const client = new MongoClient(url, { monitorCommands: true })
  t.teardown(() => client.close())
  const sent: CommandStartedEvent[] = []
  client.on('commandStarted', event => sent.push(event))
  const collections = collectionsOf(client.db())
  await ensureIndexes(collections)
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
