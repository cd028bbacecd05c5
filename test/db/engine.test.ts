import t from 'tap'
import { engineFromBuildInfo, engineOf, queryPlanOf } from '../../src/db/engine.ts'
import { testDatabase } from '../helper.ts'

t.test('engines are told apart by what buildInfo answers', async t => {
  t.match(engineFromBuildInfo({ version: '7.0.14' }), { kind: 'mongodb', name: 'MongoDB 7.0.14', atomicUpdates: true })
  t.match(engineFromBuildInfo({ version: '7.0.42', ferretdbVersion: 'v1.24.2' }), { kind: 'ferretdb-v1', name: 'FerretDB v1.24.2 (MongoDB 7.0.42 wire)', atomicUpdates: false })
  // FerretDB 2 answers with an object, and a MongoDB version that must not be taken for MongoDB's.
  t.match(engineFromBuildInfo({ version: '7.0.77', ferretdb: { version: 'v2.5.0', package: 'deb' } }), { kind: 'documentdb', name: /^FerretDB v2\.5\.0 on PostgreSQL/, atomicUpdates: true })
})

t.test('the server the tests run on is recognised, and its explain has a shape this project reads', async t => {
  const { db } = await testDatabase(t)
  const engine = await engineOf(db)
  t.comment(`the tests run on ${engine.name}`)
  await db.collection('probe').insertOne({ word: 'sun' })
  const plan = queryPlanOf(await db.command({ explain: { find: 'probe', filter: { word: 'sun' }, limit: 1, singleBatch: true }, verbosity: 'executionStats' }))
  const expected = { mongodb: 'mongodb', 'ferretdb-v1': /^(sqlite|postgresql)$/, documentdb: 'postgresql' }[engine.kind]
  t.match(plan.shape, expected, `${engine.kind} explains as ${plan.shape}`)
})

t.test('a PostgreSQL plan tree is read node by node, nested plans included', async t => {
  // The shape DocumentDB answers under queryPlanner.Plan: PostgreSQL's EXPLAIN (FORMAT JSON) tree.
  const plan = queryPlanOf({
    queryPlanner: {
      Plan: {
        'Node Type': 'Limit',
        Plans: [{
          'Node Type': 'Sort',
          Plans: [{ 'Node Type': 'Bitmap Heap Scan', 'Relation Name': 'documents_12', Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'search_prefixes_id' }] }]
        }]
      }
    }
  })
  t.same(plan, {
    shape: 'postgresql',
    nodes: [
      { type: 'Limit' },
      { type: 'Sort' },
      { type: 'Bitmap Heap Scan', relation: 'documents_12' },
      { type: 'Bitmap Index Scan', index: 'search_prefixes_id' }
    ]
  })
})

t.test('MongoDB\'s winning plan gives its stages outermost first and the examined counts', async t => {
  const plan = queryPlanOf({
    queryPlanner: { winningPlan: { stage: 'LIMIT', inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: '_id_' } } } },
    executionStats: { totalKeysExamined: 21, totalDocsExamined: 21, nReturned: 21 }
  })
  t.same(plan, { shape: 'mongodb', stages: ['LIMIT', 'FETCH', 'IXSCAN'], keysExamined: 21, docsExamined: 21, returned: 21 })
})

t.test('an explain of an unknown shape is an error, not a silently empty plan', async t => {
  t.throws(() => queryPlanOf({ ok: 1 }), /shape this project does not know/)
})
