import { MongoClient, ObjectId, type CommandStartedEvent, type Db, type Document } from 'mongodb'
import t, { type Test } from 'tap'
import { songId } from '../../../bench/catalog.ts'
import { loadCatalog } from '../../../bench/load-catalog.ts'
import { collections as collectionsOf } from '../../../src/db/collections.ts'
import { engineOf, queryPlanOf, type PostgresPlanNode } from '../../../src/db/engine.ts'
import { TERM_BUDGET } from '../../../src/db/search-terms.ts'
import { decodeCursor } from '../../../src/lib/cursor.ts'
import { searchWords } from '../../../src/lib/search-words.ts'
import { catalogRepository } from '../../../src/plugins/app/catalog-repository.ts'
import { ratingsRepository } from '../../../src/plugins/app/ratings-repository.ts'
import { testDatabase } from '../../helper.ts'
import { explainable, planOf } from '../../query-plan.ts'

// The repository's own calls are run and their commands, as the driver sent them, are explained: nothing is copied.
const SEED = 11
const SONGS = 3000
const BY_ID = { sort: 'id' } as const

interface Plan { name: string, command?: 'list' | 'range', limit?: number, stages: string[], keysExamined: number, docsExamined: number, returned: number }

/**
 * A PostgreSQL-based engine (DocumentDB) explains with PostgreSQL's plan, without examined counts: no node may scan a
 * whole collection, list pages walk the `_id_` index, and no search sorts.
 */
async function postgresPlans (t: Test, db: Db, reads: [string, () => Promise<unknown>][], queriesOf: (action: () => Promise<unknown>) => Promise<Document[]>) {
  for (const [name, read] of reads) {
    for (const command of await queriesOf(read)) {
      const plan = await planOf(db, command, 'queryPlanner')
      if (plan.shape !== 'postgresql') throw new Error(`a PostgreSQL-based engine explained as ${plan.shape}`)
      const nodes = plan.nodes.map((node: PostgresPlanNode) => `${node.type}${node.index ? ` on ${node.index}` : ''}`)
      t.comment(`${name}: ${nodes.join(' <- ')}`)
      t.notOk(plan.nodes.some(node => node.type === 'Seq Scan'), `${name}: no sequential scan of a collection`)
      if (name.endsWith('page') && command.find === 'songs' && Object.keys(command.hint ?? {}).join() === '_id') t.ok(plan.nodes.some(node => node.index === '_id_'), `${name}: walks _id_`)
      // A user's ratings page is left out: that engine sorts the one user's ratings (its `{user_id, order}` index
      // returns no order), bounded by what one user has rated, not by the catalog.
      if (name.startsWith('search') || (name.endsWith('page') && command.find !== 'user_ratings')) t.notOk(plan.nodes.some(node => node.type === 'Sort'), `${name} (find on ${command.find}): no sort`)
    }
  }
}

/**
 * A catalog of `songs` songs on a fresh database, a user with ratings of 30 of them, and the repositories on a
 * client that records every command it sends.
 */
async function scenario (t: Test, songs: number) {
  const { url, db } = await testDatabase(t)
  await loadCatalog(collectionsOf(db), { songs, ratings: songs * 3, seed: SEED })
  const client = new MongoClient(url, { monitorCommands: true })
  t.teardown(() => client.close())
  const sent: CommandStartedEvent[] = []
  client.on('commandStarted', event => sent.push(event))
  const ratings = ratingsRepository(collectionsOf(client.db()), { maxTimeMS: 60_000, idempotencyTtlMs: 60_000 })
  const catalog = catalogRepository(collectionsOf(client.db()), ratings, { maxTimeMS: 60_000 })
  // A user with ratings of 30 songs, so their pages and point reads have something to find among other users'.
  const user = new ObjectId()
  for (let i = 0; i < 30; i++) await ratings.rate(songId(SEED, i), (i % 5) + 1, { userId: user })
  for (let i = 0; i < 30; i++) await ratings.rate(songId(SEED, i), 3, { userId: new ObjectId() })
  const secondPage = (await ratings.ofUser(user, 10)).next_cursor!
  // A deep position of each order: a song in the back of the catalog, with its difficulty.
  const deep = (await catalog.get(songId(SEED, songs - 100)))!
  const deepPosition = { id: songId(SEED, songs - 100), difficulty: deep.difficulty }
  const level = { level: deep.level, sort: 'id' } as const
  const easiest = { sort: 'difficulty' } as const
  const levelEasiest = { level: deep.level, sort: 'difficulty' } as const
  const reads: [string, () => Promise<unknown>][] = [
    ['first page', () => catalog.list(20, BY_ID)],
    ['deep page', () => catalog.list(20, BY_ID, deepPosition)],
    ['a level\'s first page', () => catalog.list(20, level)],
    ['a level\'s deep page', () => catalog.list(20, level, deepPosition)],
    ['easiest first, first page', () => catalog.list(20, easiest)],
    ['easiest first, deep page', () => catalog.list(20, easiest, deepPosition)],
    ['a level easiest first, first page', () => catalog.list(20, levelEasiest)],
    ['a level easiest first, deep page', () => catalog.list(20, levelEasiest, deepPosition)],
    ['a signed-in user\'s page', () => catalog.list(20, BY_ID, undefined, user)],
    ['one song', () => catalog.get(songId(SEED, 7))],
    ['level stats of one level', () => catalog.averageDifficulty(3)],
    ['rating summary', () => ratings.summary(songId(SEED, 0))],
    ['a user\'s ratings, first page', () => ratings.ofUser(user, 10)],
    ['a user\'s ratings, next page', () => ratings.ofUser(user, 10, decodeCursor(secondPage))],
    ['a user\'s rating of a song', () => ratings.userRating(user, songId(SEED, 3))],
    ['the recovery pass', () => ratings.recover({ olderThanMs: 0 })]
  ]
  // Every kind of search: its cost must not depend on how many songs have the words, nor on the catalog.
  const searches: [string, () => Promise<unknown>][] = [
    ['search, common word "the"', () => catalog.search(['the'], 20)],
    ['search, rare word "virtanen"', () => catalog.search(['virtanen'], 20)],
    ['search, absent word "zzzz"', () => catalog.search(['zzzz'], 20)],
    ['search, two words "sun the"', () => catalog.search(searchWords('Sun the'), 20)],
    ['search, two common words "the l"', () => catalog.search(searchWords('the l'), 20)],
    ['search, deep cursor "the"', () => catalog.search(['the'], 20, songId(SEED, songs - 30))],
    ['search, "the" within a level', () => catalog.search(['the'], 20, undefined, { level: deep.level })],
    ['search, "the" within a level, signed in', () => catalog.search(['the'], 20, undefined, { level: deep.level, viewer: user })]
  ]
  /** The queries `action` sends, as the driver sent them. */
  async function queriesOf (action: () => Promise<unknown>): Promise<Document[]> {
    sent.length = 0
    await action()
    return sent.filter(event => ['find', 'findAndModify', 'aggregate'].includes(event.commandName)).map(event => event.command)
  }
  return { db, catalog, ratings, user, reads, searches, queriesOf }
}

t.test('every find that reads a bounded number of documents asks for one batch that holds them all, and list pages walk _id', async t => {
  const { catalog, reads, searches, queriesOf } = await scenario(t, 300)
  for (const [name, read] of [...reads, ...searches, ['level stats of the whole catalog', () => catalog.averageDifficulty()] as const]) {
    for (const command of (await queriesOf(read)).filter(command => 'find' in command)) {
      if (command.limit === undefined) t.not(command.singleBatch, true, `${name}: no limit, so no single batch (it would cut the answer short)`)
      else {
        t.equal(command.singleBatch, true, `${name}: limit ${command.limit} in a single batch`)
        // Without a batch size an engine answers its default first batch (101 on FerretDB 1 and 2) and closes the
        // cursor; one document (a point read, `findOne`) always fits it.
        if (command.limit > 1) t.ok(command.batchSize >= command.limit, `${name}: a batch size (${command.batchSize}) that holds the limit`)
      }
      // A page's songs are an `_id` range hinted to `_id_`, or (any other order) the `_id` list its order keys gave.
      if (name.endsWith('page') && command.find === 'songs' && !('$in' in (command.filter._id ?? {}))) t.same(command.hint, { _id: 1 }, `${name}: hinted to _id_`)
    }
  }
})

t.test('a page carries its songs\' ratings in the read of its songs: one read in _id order, one more for a signed-in caller\'s own', async t => {
  const { catalog, user, queriesOf } = await scenario(t, 300)
  const collectionsRead = async (action: () => Promise<unknown>) => (await queriesOf(action)).map(command => command.find as string)
  t.same(await collectionsRead(() => catalog.list(20, BY_ID)), ['songs'], 'anonymous: the songs alone')
  t.same(await collectionsRead(() => catalog.list(20, BY_ID, undefined, user)), ['songs', 'user_ratings'], 'signed in: and the caller\'s ratings of them')
  const page = await catalog.list(20, BY_ID)
  t.ok(page.items.some(song => song.rating.count > 0), 'songs with ratings among them')
})

t.test('every search reads _id ranges and _id lists, each with a limit, within a budget whatever the catalog (the commands sent)', async t => {
  const { searches, queriesOf } = await scenario(t, 300)
  const limit = 20
  for (const [name, search] of searches) {
    const read = { search_terms: 0, songs: 0, user_ratings: 0 } as Record<string, number>
    for (const command of await queriesOf(search)) {
      const filter = command.filter as Document
      // The caller's ratings: a list of the page's songs' ids, limited to their length (the songs carry their counts).
      if (command.find === 'user_ratings') {
        t.equal(command.limit, (filter.song_id.$in as unknown[]).length, `${name}: the caller's ratings of the page's songs, limited to their number`)
        read.user_ratings += command.limit
        continue
      }
      const id = filter._id as Document
      const range = '$gt' in id
      t.comment(`${name}: find on ${command.find}, _id ${range ? `range ${JSON.stringify(id)}` : `list of ${(id.$in as unknown[]).length}`}, ` +
        `hint ${JSON.stringify(command.hint)}, limit ${command.limit}`)
      t.same(Object.keys(filter), ['_id'], `${name}: filters on _id alone`)
      t.ok(command.find in read, `${name}: reads ${command.find}`)
      if (range) {
        t.match(command, { find: 'search_terms', filter: { _id: { $gt: String, $lt: String } }, hint: { _id: 1 } }, `${name}: a term range, hinted to _id`)
        t.same(Object.fromEntries(command.sort as Map<string, number>), { _id: 1 }, `${name}: in _id order`)
        t.ok(command.limit >= 1 && command.limit <= TERM_BUDGET, `${name}: limit ${command.limit}, within the budget`)
      } else {
        t.equal(command.limit, (id.$in as unknown[]).length, `${name}: an _id list limited to its length`)
      }
      read[command.find] += command.limit
    }
    // One round reads limit + 1 terms per word; later rounds stay within the budget.
    t.ok(read.search_terms! <= TERM_BUDGET + 2 * (limit + 1), `${name}: ${read.search_terms} terms at most`)
    t.ok(read.songs! <= limit + 1, `${name}: ${read.songs} songs at most`)
    t.ok(read.user_ratings! <= limit, `${name}: the caller's ratings of the page's songs only`)
  }
})

const engine = await engineOf((await testDatabase(t)).db)

t.test('every route\'s queries use an index and examine no more than they return', {
  skip: engine.kind === 'ferretdb-v1' && `${engine.name}: its explain names no index but _id's (FerretDB 1 pushes down only _id equality and scans for the rest), so there is no plan to check here; MongoDB and PostgreSQL-based engines are checked`
}, async t => {
  const { db, catalog, ratings, user, reads, searches, queriesOf } = await scenario(t, SONGS)
  if (engine.kind === 'documentdb') return postgresPlans(t, db, [...reads, ...searches], queriesOf)

  async function plansOf (name: string, action: () => Promise<unknown>): Promise<Plan[]> {
    const plans: Plan[] = []
    for (const command of await queriesOf(action)) {
      const explained = explainable(command)
      const plan = queryPlanOf(await db.command({ explain: explained, verbosity: 'executionStats' }))
      if (plan.shape !== 'mongodb') throw new Error(`MongoDB explained as ${plan.shape}`)
      t.comment(`${name} (${Object.keys(explained)[0]} on ${Object.values(explained)[0]}): ${plan.stages.join(' <- ')}; keys examined ${plan.keysExamined}, documents examined ${plan.docsExamined}, returned ${plan.returned}`)
      const filter = (command.filter ?? {}) as Document
      const list = Object.values(filter).some(value => value && typeof value === 'object' && '$in' in value)
      plans.push({ name, command: list ? 'list' : 'range', limit: command.limit ?? 0, ...plan })
    }
    t.ok(plans.length > 0, `${name} sent a query`)
    return plans
  }
  const indexed = (plan: Plan) => plan.stages.some(stage => /IXSCAN|IDHACK|EXPRESS/.test(stage)) && !plan.stages.includes('COLLSCAN')

  for (const [name, read] of reads) {
    for (const plan of await plansOf(name, read)) {
      t.ok(indexed(plan), `${name} uses an index`)
      if (name.endsWith('page')) t.notOk(plan.stages.includes('SORT'), `${name}: walks its index in order, no sort`)
      // A list of ids (a page's ratings) examines one key per id, and one past each missing one; a range what it returns.
      const bound = plan.command === 'list' ? 2 * (plan.limit ?? 0) + 1 : plan.returned + 1
      t.ok(plan.docsExamined <= bound, `${name}: documents examined ${plan.docsExamined} ≤ ${bound}`)
      t.ok(plan.keysExamined <= bound, `${name}: keys examined ${plan.keysExamined} ≤ ${bound}`)
    }
  }

  // The catalog-wide average reads every level's stats: one document per level, at most MAX_LEVEL, whatever the catalog's size.
  for (const plan of await plansOf('level stats of the whole catalog', () => catalog.averageDifficulty())) {
    t.ok(plan.docsExamined <= plan.returned + 1, 'documents examined ≤ returned + 1')
  }

  const writes: [string, () => Promise<unknown>][] = [
    ['anonymous rating', () => ratings.rate(songId(SEED, 5), 4)],
    ['a user\'s rating, replaced', () => ratings.rate(songId(SEED, 5), 2, { userId: user })],
    ['a user\'s rating, removed', () => ratings.removeUserRating(user, songId(SEED, 6))],
    ['song update', () => catalog.update(songId(SEED, 8), { title: 'Renamed For The Plan' })]
  ]
  for (const [name, write] of writes) {
    for (const plan of await plansOf(name, write)) {
      t.ok(indexed(plan), `${name}: point reads and writes by _id or by user and song`)
      t.ok(plan.docsExamined <= 1, `${name}: one document examined`)
    }
  }

  // A search's reads are bounded by their limits (an `_id` range's, an `_id` list's length), whatever the catalog.
  for (const [name, search] of searches) {
    for (const command of await queriesOf(search)) {
      const plan = queryPlanOf(await db.command({ explain: explainable(command), verbosity: 'executionStats' }))
      if (plan.shape !== 'mongodb') throw new Error(`MongoDB explained as ${plan.shape}`)
      const label = `${name} (find on ${command.find}, limit ${command.limit})`
      t.comment(`${label}: ${plan.stages.join(' <- ')}; keys examined ${plan.keysExamined}, documents examined ${plan.docsExamined}, returned ${plan.returned}`)
      t.ok(indexed({ name, ...plan }) && !plan.stages.includes('SORT'), `${label}: an _id index scan, no sort`)
      // An `_id` list is one index seek per id: a key examined, and one more past it where the id is missing.
      t.ok(plan.keysExamined <= 2 * command.limit + 1, `${label}: keys examined ≤ 2 × limit + 1`)
      t.ok(plan.docsExamined <= command.limit, `${label}: documents examined ≤ limit`)
    }
  }
})
