import { ObjectId } from 'mongodb'
import t from 'tap'
import { generateSongs } from '../../bench/catalog.ts'
import { loadCatalog } from '../../bench/load-catalog.ts'
import type { Collections } from '../../src/db/collections.ts'
import { ensureIndexes } from '../../src/db/indexes.ts'
import { importSongs } from '../../src/db/import-songs.ts'
import { buildSearchTerms, searchSongs, searchTermsBuilt } from '../../src/db/search-terms.ts'
import { songDocument } from '../../src/db/song-document.ts'
import { searchPrefixes, searchWords } from '../../src/lib/search-words.ts'
import { catalogRepository } from '../../src/plugins/app/catalog-repository.ts'
import { ratingsRepository } from '../../src/plugins/app/ratings-repository.ts'
import { termsAgainstSongs } from '../catalog-terms.ts'
import { testDatabase } from '../helper.ts'

const SEED = 5
const SONGS = 200
const PROJECTION = { artist: 1, title: 1 } as const

/** Every page of a search followed to its end: the ids found in order and each page's size. */
async function followed (collections: Collections, message: string, limit: number, termBudget?: number) {
  const ids: string[] = []
  const sizes: number[] = []
  let after: ObjectId | undefined
  do {
    const { found, next } = await searchSongs(collections, searchWords(message), limit, after, { projection: PROJECTION, maxTimeMS: 60_000, termBudget })
    ids.push(...found.map(song => song._id.toHexString()))
    sizes.push(found.length)
    after = next ?? undefined
  } while (after)
  return { ids, sizes }
}

/** What a search must find, from the songs themselves: those with every word among their prefixes, in `_id` order. */
async function expected (collections: Collections, message: string): Promise<string[]> {
  const words = searchWords(message)
  const songs = await collections.songs.find({}, { sort: { _id: 1 } }).toArray()
  return songs.filter(song => words.every(word => searchPrefixes(song.artist, song.title).includes(word))).map(song => song._id.toHexString())
}

const { collections } = await testDatabase(t)
await loadCatalog(collections, { songs: SONGS, ratings: 0, seed: SEED })

t.test('followed to its end, a search finds exactly the songs having every word, in _id order', async t => {
  t.same(await termsAgainstSongs(collections), { missing: [], extra: [] }, 'the bulk load wrote every song\'s terms and nothing else')
  for (const message of ['the', 'virtanen', 'zzzz', 'the lo', 'sun the', 'the wolves', 'the zzzz', 'zz the', 't th the']) {
    const { ids, sizes } = await followed(collections, message, 7)
    const want = await expected(collections, message)
    t.same(ids, want, `"${message}": ${want.length} songs`)
    t.ok(sizes.every(size => size <= 7), `"${message}": no page above the limit`)
  }
  t.ok((await expected(collections, 'the')).length > 50, 'a common word is common here')
})

t.test('several common words rarely together: short pages within the term budget, still every song once', async t => {
  const { collections } = await testDatabase(t)
  // "the" and "l…" each start many songs, and only every seventh has both.
  const songs = Array.from({ length: 42 }, (_, i) => ({
    artist: i % 2 === 0 ? `The Band ${i}` : `Lone Band ${i}`, title: i % 14 === 0 ? 'Late Song' : 'Song', difficulty: 1, level: 1, released: '2020-01-01'
  }))
  await importSongs(collections, songs)
  const message = 'the l'
  const want = await expected(collections, message)
  t.equal(want.length, 3)
  const { ids, sizes } = await followed(collections, message, 2, 20)
  t.same(ids, want, `every song of "${message}" once, in order`)
  t.ok(sizes.some(size => size < 2) && sizes.length > Math.ceil(want.length / 2), `pages of ${sizes.join(', ')}: some short, each with a next cursor but the last`)
  const { ids: whole, sizes: fewer } = await followed(collections, message, 2)
  t.same(whole, want, 'the same songs with the default budget')
  t.same(fewer, [2, 1], 'which is not spent here')
})

t.test('terms whose song is gone or renamed are skipped', async t => {
  const [gone, renamed] = await collections.songs.find({ search_prefixes: 'the' }).limit(2).toArray()
  // As a delete or rename that stopped after the song's write and before its terms' leaves them.
  await collections.songs.deleteOne({ _id: gone!._id })
  await collections.songs.updateOne({ _id: renamed!._id }, { $set: { artist: 'Nobody', title: 'Anything', search_prefixes: searchPrefixes('Nobody', 'Anything') } })
  const { ids } = await followed(collections, 'the', 5)
  t.same(ids, await expected(collections, 'the'))
  t.notOk(ids.includes(gone!._id.toHexString()) || ids.includes(renamed!._id.toHexString()), 'neither is found by its old terms')
})

t.test('catalog writes keep the terms: create, rename, delete, import', async t => {
  const { collections } = await testDatabase(t)
  await ensureIndexes(collections)
  const catalog = catalogRepository(collections, ratingsRepository(collections, { maxTimeMS: 60_000, idempotencyTtlMs: 60_000 }), { maxTimeMS: 60_000 })
  const songs = [...generateSongs(SEED, 20)].map(({ _id, ...song }) => song)
  const created = await Promise.all(songs.slice(0, 10).map(song => catalog.create(song)))
  await t.rejects(catalog.create(songs[0]!), /already in the catalog/)
  await catalog.update(new ObjectId(created[0]!.id), { title: 'Xylophone Morning' })
  await catalog.update(new ObjectId(created[1]!.id), { artist: 'Quokka Band', difficulty: 3 })
  await catalog.remove(new ObjectId(created[2]!.id))
  // Not there by artist and title: ten never created, two renamed away, one deleted.
  t.equal(await importSongs(collections, songs), 13, 'an import adds the thirteen songs not there')
  t.same(await termsAgainstSongs(collections), { missing: [], extra: [] }, 'terms are exactly the songs\' prefixes')
  t.same((await catalog.search(['xylo'], 10)).items.map(song => song.id), [created[0]!.id])
  t.same((await catalog.search(['quokka', 'band'], 10)).items.map(song => song.id), [created[1]!.id])

  // Concurrent renames of one song: whichever name wins, its terms are all there.
  const song = new ObjectId(created[3]!.id)
  await Promise.all(Array.from({ length: 6 }, (_, i) => catalog.update(song, { title: `Renamed Zebra${i} Vu${i}` })))
  const { missing } = await termsAgainstSongs(collections)
  t.same(missing, [], 'no term of any song\'s current name is missing')
  const name = (await collections.songs.findOne({ _id: song }))!.title
  t.same((await catalog.search(searchWords(name), 10)).items.map(found => found.id), [created[3]!.id], `found by its current name "${name}"`)
})

t.test('a catalog of thousands written without terms: the build covers every song, resumes where it stopped, then catches up', async t => {
  const { collections } = await testDatabase(t)
  // Past a read's default first batch (101) and a write command's 25,000 operations; the build read 1,000 at a time
  // and took 101 for the end, leaving all but 101 songs unsearchable.
  const SONGS = 1500
  await collections.songs.insertMany([...generateSongs(SEED + 1, SONGS)].map(songDocument))
  t.equal(await searchTermsBuilt(collections), false, 'songs without a finished build: not built')
  const progress: number[] = []
  const stopped = buildSearchTerms(collections, {
    onProgress ({ done, total }) {
      progress.push(done)
      t.equal(total, SONGS)
      if (done === 300) throw new Error('stopped')
    }
  })
  await t.rejects(stopped, /stopped/, 'a build stopped after three batches')
  t.equal(await searchTermsBuilt(collections), false, 'is not built')
  t.equal(await buildSearchTerms(collections), SONGS - 200, 'run again, it goes on after the last batch it recorded')
  t.same(progress.slice(0, 3), [100, 200, 300])
  t.same(await termsAgainstSongs(collections), { missing: [], extra: [] }, 'every song has its terms, and nothing else is there')
  t.equal(await searchTermsBuilt(collections), true)
  t.same((await followed(collections, 'the', 100)).ids, await expected(collections, 'the'))

  // Songs an earlier version of the API added (without terms) while the upgrade ran: a later build covers them,
  // reading only the songs after its last one (less a margin for clocks), not the catalog again.
  const late = [...generateSongs(SEED + 2, 30)].map(({ _id, ...song }) => songDocument({ ...song, _id: new ObjectId() }))
  await collections.songs.insertMany(late)
  const read = await buildSearchTerms(collections)
  t.ok(read >= late.length && read < SONGS, `${read} songs read again`)
  t.same(await termsAgainstSongs(collections), { missing: [], extra: [] }, 'the late songs have their terms')
})

t.test('an empty catalog needs no build: it is marked built, and every song written from then on has its terms', async t => {
  const { collections } = await testDatabase(t)
  t.equal(await searchTermsBuilt(collections), true)
  t.equal(await buildSearchTerms(collections), 0, 'nothing to read')
  await importSongs(collections, [...generateSongs(SEED, 5)].map(({ _id, ...song }) => song))
  t.equal(await searchTermsBuilt(collections), true)
  t.same(await termsAgainstSongs(collections), { missing: [], extra: [] })
})
