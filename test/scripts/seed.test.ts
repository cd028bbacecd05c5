import { writeFile } from 'node:fs/promises'
import t from 'tap'
import { generateSongs } from '../../bench/catalog.ts'
import { songDocument } from '../../src/db/song-document.ts'
import { termsAgainstSongs } from '../catalog-terms.ts'
import { runScript } from '../run-script.ts'
import { testDatabase } from '../helper.ts'

t.test('npm run seed loads seed/songs.json once, however often it runs', async t => {
  const { url, collections } = await testDatabase(t)
  const first = await runScript('src/scripts/seed.ts', [], { MONGODB_URL: url })
  t.equal(first.code, 0, first.stderr)
  t.match(first.stdout, /seed\/songs\.json: 11 songs read, 11 new, 0 already in/)
  const second = await runScript('src/scripts/seed.ts', [], { MONGODB_URL: url })
  t.match(second.stdout, /11 songs read, 0 new, 11 already in/)
  t.equal(await collections.songs.countDocuments(), 11)
})

t.test('npm run seed accepts a JSON array file and rejects a bad file before writing', async t => {
  const { url, collections } = await testDatabase(t)
  const dir = t.testdir()
  const good = `${dir}/songs.json`
  await writeFile(good, JSON.stringify([{ artist: 'Ana', title: 'Uno', difficulty: 3, level: 2, released: '2020-01-01' }]))
  const bad = `${dir}/bad.json`
  await writeFile(bad, '{"artist":"Ana","title":"Dos","difficulty":3,"level":2,"released":"2020-01-01"}\n{"artist":"Ana"}\n')

  const rejected = await runScript('src/scripts/seed.ts', [bad], { MONGODB_URL: url })
  t.not(rejected.code, 0)
  t.match(rejected.stderr, /bad\.json line 2/)
  t.equal(await collections.songs.countDocuments(), 0, 'nothing half-written')

  const loaded = await runScript('src/scripts/seed.ts', [good], { MONGODB_URL: url })
  t.equal(loaded.code, 0, loaded.stderr)
  t.match(loaded.stdout, /1 songs read, 1 new/)
  t.match(await collections.levelStats.findOne({ _id: 2 }), { count: 1, sum: 3 })
})

t.test('npm run seed on a catalog from before search terms builds the terms of every song first', async t => {
  const { url, collections } = await testDatabase(t)
  await collections.songs.insertMany([...generateSongs(12, 511)].map(songDocument))
  const run = await runScript('src/scripts/seed.ts', [], { MONGODB_URL: url })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /search terms built for 511 songs/)
  t.match(run.stdout, /11 songs read, 11 new/)
  t.same(await termsAgainstSongs(collections), { missing: [], extra: [] }, 'all 522 songs searchable, not the first 101 or 112')
})
