import { MongoClient, ObjectId, type CommandStartedEvent, type Document } from 'mongodb'
import t from 'tap'
import { songId } from '../../../bench/catalog.ts'
import { loadCatalog } from '../../../bench/load-catalog.ts'
import { collections as collectionsOf } from '../../../src/db/collections.ts'
import { decodeCursor } from '../../../src/lib/cursor.ts'
import { searchWords } from '../../../src/lib/search-words.ts'
import { catalogRepository } from '../../../src/plugins/app/catalog-repository.ts'
import { ratingsRepository } from '../../../src/plugins/app/ratings-repository.ts'
import { isFerretDB, testDatabase } from '../../helper.ts'

// The repository's own calls are run and their commands, as the driver sent them, are explained: nothing is copied.
const SEED = 11
const SONGS = 3000

const { url, db } = await testDatabase(t)
const ferretdb = await isFerretDB(db)

interface Plan { name: string, stages: string[], keysExamined: number, docsExamined: number, returned: number }

function stagesOf (plan: unknown): string[] {
  if (!plan || typeof plan !== 'object') return []
  return Object.entries(plan).flatMap(([key, value]) => key === 'stage' && typeof value === 'string' ? [value] : stagesOf(value))
}

t.test('every route\'s queries use an index and examine no more than they return', {
  skip: ferretdb && 'FerretDB answers explain without executionStats (no keys or documents examined) and pushes down only _id equality, so there is no plan to check here; run this test against MongoDB'
}, async t => {
  const collections = collectionsOf(db)
  await loadCatalog(collections, { songs: SONGS, ratings: 9000, seed: SEED })
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

  async function plansOf (name: string, action: () => Promise<unknown>): Promise<Plan[]> {
    sent.length = 0
    await action()
    const queries = sent.filter(event => ['find', 'findAndModify', 'aggregate'].includes(event.commandName))
    const plans: Plan[] = []
    for (const { command } of queries) {
      const explained = Object.fromEntries(Object.entries(command).filter(([key]) => !key.startsWith('$') && !['lsid', 'txnNumber'].includes(key)))
      const { queryPlanner, executionStats } = await db.command({ explain: explained, verbosity: 'executionStats' }) as Document
      const plan = { name, stages: stagesOf(queryPlanner.winningPlan), keysExamined: executionStats.totalKeysExamined, docsExamined: executionStats.totalDocsExamined, returned: executionStats.nReturned }
      t.comment(`${name} (${Object.keys(explained)[0]} on ${Object.values(explained)[0]}): ${plan.stages.join(' <- ')}; keys examined ${plan.keysExamined}, documents examined ${plan.docsExamined}, returned ${plan.returned}`)
      plans.push(plan)
    }
    t.ok(plans.length > 0, `${name} sent a query`)
    return plans
  }
  const indexed = (plan: Plan) => plan.stages.some(stage => /IXSCAN|IDHACK|EXPRESS/.test(stage)) && !plan.stages.includes('COLLSCAN')

  const reads: [string, () => Promise<unknown>][] = [
    ['first page', () => catalog.list(20)],
    ['deep page', () => catalog.list(20, songId(SEED, SONGS - 100))],
    ['one song', () => catalog.get(songId(SEED, 7))],
    ['level stats of one level', () => catalog.averageDifficulty(3)],
    ['rating summary', () => ratings.summary(songId(SEED, 0))],
    ['search, common prefix "the"', () => catalog.search(['the'], 20)],
    ['search, rare prefix "virtanen"', () => catalog.search(['virtanen'], 20)],
    ['a user\'s ratings, first page', () => ratings.ofUser(user, 10)],
    ['a user\'s ratings, next page', () => ratings.ofUser(user, 10, decodeCursor(secondPage))],
    ['a user\'s rating of a song', () => ratings.userRating(user, songId(SEED, 3))]
  ]
  for (const [name, read] of reads) {
    for (const plan of await plansOf(name, read)) {
      t.ok(indexed(plan), `${name} uses an index`)
      t.ok(plan.docsExamined <= plan.returned + 1, `${name}: documents examined ≤ returned + 1`)
      t.ok(plan.keysExamined <= plan.returned + 1, `${name}: keys examined ≤ returned + 1`)
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

  // Several words: one word's index range is walked in _id order and the other words are checked on each song
  // fetched, so the work is bounded by how many songs have that word, not by the catalog; it is not ≤ returned + 1.
  const words = searchWords('Sun the')
  // The planner picks which word's range to walk; either way the songs having that word bound the work.
  const bound = Math.max(...await Promise.all(words.map(word => collections.songs.countDocuments({ search_prefixes: word }))))
  for (const plan of await plansOf('search, several words "sun the"', () => catalog.search(words, 20))) {
    t.ok(indexed(plan), 'uses the search index')
    t.ok(plan.docsExamined <= Math.max(bound, plan.returned + 1) && plan.docsExamined <= SONGS / 2,
      `documents examined (${plan.docsExamined}) bounded by the songs having the word walked (at most ${bound}), and well below the catalog (${SONGS})`)
  }
})
