import fc from 'fast-check'
import type { ObjectId } from 'mongodb'
import t from 'tap'
import { loadCatalog } from '../../bench/load-catalog.ts'
import type { SongDocument } from '../../src/db/documents.ts'
import { importSongs } from '../../src/db/import-songs.ts'
import { MAX_READ_BATCH } from '../../src/db/read-batch.ts'
import { searchSongs } from '../../src/db/search-terms.ts'
import { searchWords } from '../../src/lib/search-words.ts'
import { isFerretDB, testDatabase } from '../helper.ts'

// Search against a brute-force oracle on a catalog of thousands: every page walked to its end must give exactly
// the songs having every word, in `_id` order, whatever the words and the limit. The catalog is past every bound
// a search read has (a common word has thousands of songs, far more than a read batch or an engine's default
// batch of 101), so a read cut short anywhere shows as a missing song.

const ACCENTED = 150
const SEED = 24

const { db, collections } = await testDatabase(t)
// FerretDB 1 (CI's server) reads no index but `_id` equality: each term range read scans every term of the
// catalog there (0.3 s a read at 1,000 songs), so it gets the smallest catalog where the limits still bite (a
// common word has hundreds of songs); an engine with indexes gets five thousand.
const ferretDB = await isFerretDB(db)
const SONGS = ferretDB ? 1000 : 5000
// Up to a few thousand reads that each scan the catalog's terms on FerretDB 1: about 4 minutes on an idle 2-core
// machine, and up to three times that beside other tests.
t.setTimeout(1_500_000)
await loadCatalog(collections, { songs: SONGS, ratings: 0, seed: SEED })
// Accented names and titles, written through the import, each folding to words the generated catalog also has.
await importSongs(collections, Array.from({ length: ACCENTED }, (_, i) => ({
  artist: ['Beyoncé', 'Zoë Ångström', 'Łukasz & The Café'][i % 3]!, title: `Señor Niño ${i} Über Crème`, difficulty: 1 + (i % 9), level: 1 + (i % 15), released: '2001-02-03'
})))
const all: SongDocument[] = await collections.songs.find({}, { sort: { _id: 1 } }).toArray()

/** The oracle: the songs (of `level`, when given) having every word among their own words' prefixes, in `_id` order. */
function expected (message: string, level?: number): string[] {
  const words = searchWords(message)
  return all.filter(song => {
    if (level !== undefined && song.level !== level) return false
    const own = searchWords(`${song.artist} ${song.title}`)
    return words.every(word => own.some(w => w.startsWith(word)))
  }).map(song => song._id.toHexString())
}

/** Every page of a search, followed to its end: the ids in order, the pages' sizes. */
async function followed (message: string, limit: number, level?: number) {
  const ids: string[] = []
  const sizes: number[] = []
  let after: ObjectId | undefined
  do {
    const { found, next } = await searchSongs(collections, searchWords(message), limit, after, { projection: { _id: 1 }, maxTimeMS: 120_000, level })
    ids.push(...found.map(song => song._id.toHexString()))
    sizes.push(found.length)
    after = next ?? undefined
  } while (after)
  return { ids, sizes }
}

const vocabulary = [...new Set(all.flatMap(song => searchWords(`${song.artist} ${song.title}`)))]
const common = vocabulary.filter(word => expected(word).length > MAX_READ_BATCH / 10)

t.ok(all.length === SONGS + ACCENTED && expected('the').length > 300, `the catalog holds ${all.length} songs, ${expected('the').length} with "the"`)

t.test('chosen queries: common words, prefixes, accents, words rarely together, absent words, within a level', async t => {
  const queries: Array<[string, number, number?]> = [
    ['the', 20, 3], ['the lo', 10, 7], ['senor', 100, 2], ['zzzz', 5, 3],
    ['THE', 97], ['l', 100], ['the lo', 37], ['lo the', 100], ['t th the', 100],
    ['senor', 30], ['SEÑOR nino', 100], ['über crème', 40], ['zoe angstrom', 10], ['łukasz cafe', 100], ['Lukasz', 100], ['beyonce senor', 20],
    ['zzzz', 5], ['the zzzz', 100], ['zz the', 1], ['x', 100]
  ]
  for (const [message, limit, level] of queries) {
    const want = expected(message, level)
    const started = Date.now()
    const { ids, sizes } = await followed(message, limit, level)
    t.same(ids, want, `"${message}", limit ${limit}: ${want.length} songs, ${sizes.length} pages in ${Date.now() - started} ms`)
    t.ok(sizes.every(size => size <= limit), `"${message}": no page above the limit`)
  }
})

t.test('random queries of one to three words, limits 1–100, in any level or one: exactly the oracle\'s songs, every page at most the limit', async t => {
  // Common words paired with any word: pairs that rarely meet, where the walk probes in rounds and spends its budget.
  const word = fc.oneof(
    { arbitrary: fc.constantFrom(...vocabulary), weight: 3 },
    { arbitrary: fc.constantFrom(...common), weight: 3 },
    { arbitrary: fc.constantFrom(...vocabulary).map(w => w.slice(0, 1 + (w.length >> 1))), weight: 2 },
    { arbitrary: fc.constant('qqq'), weight: 1 }
  )
  // Within one level too (levels 1–15 have songs, 16 none): the level's songs among the matches.
  const level = fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined, freq: 3 })
  await fc.assert(fc.asyncProperty(fc.array(word, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 100 }), level, async (words, limit, level) => {
    const message = words.join(' ')
    const want = expected(message, level)
    // A one-song page of thousands of songs is thousands of requests: the limit grows with the matches, still random.
    const pageLimit = Math.max(limit, Math.min(100, Math.ceil(want.length / 15)))
    const { ids, sizes } = await followed(message, pageLimit, level)
    t.same(ids, want, `"${message}"${level === undefined ? '' : ` in level ${level}`}, limit ${pageLimit}: ${want.length} songs`)
    return sizes.every(size => size <= pageLimit)
  }), { seed: SEED, numRuns: ferretDB ? 25 : 60 })
})
