import fc from 'fast-check'
import t from 'tap'
import { generateSongs, LEVELS } from '../../../bench/catalog.ts'
import { loadCatalog } from '../../../bench/load-catalog.ts'
import { signUp } from '../../accounts.ts'
import { buildTestAppOn, json, testDatabase } from '../../helper.ts'

// Browsing a catalog of thousands against a brute-force oracle: every order and filter of GET /songs walked to its
// end with random page sizes must give exactly the catalog's songs in that order, each with its rating (and the
// caller's own) as the rating routes answer it.

const SONGS = 2500
const SEED = 25

// Hundreds of requests on FerretDB 1, which scans a collection for every read: about 8 minutes on an idle 2-core
// machine, and up to three times that beside other tests.
t.setTimeout(1_500_000)

interface Item { id: string, level: number, difficulty: number, rating: { average: number | null, count: number }, my_rating?: number | null }
interface Page { items: Item[], next_cursor: string | null }

const database = await testDatabase(t)
await loadCatalog(database.collections, { songs: SONGS, ratings: 3000, seed: SEED })
const app = await buildTestAppOn(t, database)
const catalog = [...generateSongs(SEED, SONGS)].map(song => ({ id: song._id.toHexString(), level: song.level, difficulty: song.difficulty }))

/** The oracle: the catalog's songs of `level` (all without one) in `_id` order, or easiest first with ties by `_id`. */
function expected (level: number | undefined, sort: 'id' | 'difficulty'): string[] {
  const songs = catalog.filter(song => level === undefined || song.level === level)
  const byId = (a: { id: string }, b: { id: string }) => a.id < b.id ? -1 : 1
  return songs.sort(sort === 'id' ? byId : (a, b) => a.difficulty - b.difficulty || byId(a, b)).map(song => song.id)
}

/** Every page of an order, followed to its end. */
async function walked (query: Record<string, string>, headers: Record<string, string> = {}) {
  const items: Item[] = []
  const sizes: number[] = []
  let cursor: string | null = null
  do {
    const response: { statusCode: number, body: string } = await app.inject({ url: '/songs', query: { ...query, ...(cursor ? { cursor } : {}) }, headers })
    if (response.statusCode !== 200) throw new Error(`${response.statusCode}: ${response.body}`)
    const page: Page = json<Page>(response)
    items.push(...page.items)
    sizes.push(page.items.length)
    cursor = page.next_cursor
  } while (cursor !== null)
  return { items, sizes }
}

t.ok(new Set(catalog.map(song => song.difficulty)).size < SONGS, 'the catalog has songs of equal difficulty (ties to break)')

t.test('every order and level, walked with random page sizes, is exactly the oracle\'s', async t => {
  const orders = fc.record({ level: fc.option(fc.integer({ min: 1, max: LEVELS + 1 }), { nil: undefined }), sort: fc.constantFrom('id' as const, 'difficulty' as const), limit: fc.integer({ min: 1, max: 100 }) })
  await fc.assert(fc.asyncProperty(orders, async ({ level, sort, limit }) => {
    const want = expected(level, sort)
    // Pages grow with the matches, still random, so a walk is at most about 25 requests.
    const pageLimit = Math.max(limit, Math.min(100, Math.ceil(want.length / 25)))
    const { items, sizes } = await walked({ limit: String(pageLimit), sort, ...(level === undefined ? {} : { level: String(level) }) })
    t.same(items.map(item => item.id), want, `level ${level ?? 'any'}, sort ${sort}, limit ${pageLimit}: ${want.length} songs`)
    return sizes.slice(0, -1).every(size => size === pageLimit) && sizes.at(-1)! <= pageLimit
  }), { seed: SEED, numRuns: 16 })
})

t.test('GET /songs/avg/difficulty?level=N agrees with the level\'s list', async t => {
  for (const level of [1, 7, LEVELS, LEVELS + 1]) {
    const { items } = await walked({ level: String(level), limit: '100' })
    const average = json(await app.inject(`/songs/avg/difficulty?level=${level}`))
    t.equal(average.songs, items.length, `level ${level}: ${items.length} songs`)
    const sum = items.reduce((total, item) => total + item.difficulty, 0)
    if (items.length === 0) t.equal(average.average_difficulty, null)
    else t.ok(Math.abs(average.average_difficulty - sum / items.length) < 1e-9, `level ${level}: average ${average.average_difficulty}`)
  }
})

t.test('each song carries its rating as GET /songs/avg/rating answers it, and a signed-in caller\'s own', async t => {
  const account = await signUp(app)
  const { items: first } = await walked({ level: '3', sort: 'difficulty', limit: '100' })
  const mine = new Map<string, number>()
  for (const [i, item] of first.slice(0, 12).entries()) {
    const stars = (i % 5) + 1
    const rated = await app.inject({ method: 'POST', url: '/songs/rating', headers: account.authorization, payload: { song_id: item.id, rating: stars } })
    t.equal(rated.statusCode, 201)
    mine.set(item.id, stars)
  }
  const anonymous = json<Page>(await app.inject({ url: '/songs', query: { level: '3', sort: 'difficulty', limit: '40' } }))
  const signedIn = await app.inject({ url: '/songs', query: { level: '3', sort: 'difficulty', limit: '40' }, headers: account.authorization })
  const own = json<Page>(signedIn)
  for (const [i, item] of anonymous.items.entries()) {
    const summary = json(await app.inject(`/songs/avg/rating/${item.id}`))
    t.same(item.rating, { average: summary.average, count: summary.count }, `${item.id}: the summary's average and count`)
    t.notOk('my_rating' in item, 'no my_rating without a token')
    t.same(own.items[i]!.rating, item.rating)
    t.equal(own.items[i]!.my_rating, mine.get(item.id) ?? null, `${item.id}: the caller's own stars`)
  }
  t.ok(anonymous.items.some(item => item.rating.count > 0) && anonymous.items.some(item => item.rating.count === 0), 'rated and unrated songs on the page')

  const searched = json<Page>(await app.inject({ url: '/songs/search', query: { message: 'the', level: '3', limit: '100' }, headers: account.authorization }))
  for (const item of searched.items) t.equal(item.my_rating, mine.get(item.id) ?? null)
  t.ok(searched.items.every(item => item.level === 3), 'search within a level')

  const bad = await app.inject({ url: '/songs', headers: { authorization: 'Bearer a.b.c' } })
  t.equal(bad.statusCode, 401, 'an invalid token is a 401, never an anonymous page')
  t.equal((await app.inject({ url: '/songs/search?message=the', headers: { authorization: 'Bearer a.b.c' } })).statusCode, 401)
})

t.test('caching: anonymous pages are public, a caller\'s own never stored by a shared cache; both vary on Authorization', async t => {
  const account = await signUp(app)
  const anonymous = await app.inject('/songs?limit=5')
  t.equal(anonymous.headers['cache-control'], 'public, max-age=60')
  t.match(anonymous.headers.vary, /Authorization/)
  for (const url of ['/songs?limit=5', '/songs/search?message=the&limit=5']) {
    const own = await app.inject({ url, headers: account.authorization })
    t.equal(own.headers['cache-control'], 'private, no-cache', url)
    t.match(own.headers.vary, /Authorization/)
    const again = await app.inject({ url, headers: { ...account.authorization, 'if-none-match': String(own.headers.etag) } })
    t.equal(again.statusCode, 304, `${url}: the caller's own ETag revalidates`)
  }
  await app.inject({ method: 'POST', url: '/songs/rating', headers: account.authorization, payload: { song_id: json<Page>(anonymous).items[0]!.id, rating: 5 } })
  const before = await app.inject({ url: '/songs?limit=5', headers: account.authorization })
  const other = await signUp(app)
  const theirs = await app.inject({ url: '/songs?limit=5', headers: other.authorization })
  t.not(before.headers.etag, theirs.headers.etag, 'another caller\'s page (other stars) has another ETag')
})

t.test('a cursor belongs to its level and order; bad levels and orders are 400 problems', async t => {
  const byLevel = json<Page>(await app.inject('/songs?level=2&limit=3')).next_cursor!
  const easiest = json<Page>(await app.inject('/songs?sort=difficulty&limit=3')).next_cursor!
  const plain = json<Page>(await app.inject('/songs?limit=3')).next_cursor!
  const misuses = [`/songs?level=3&cursor=${byLevel}`, `/songs?cursor=${byLevel}`, `/songs?level=2&sort=difficulty&cursor=${byLevel}`,
    `/songs?level=2&cursor=${easiest}`, `/songs?cursor=${easiest}`, `/songs?sort=difficulty&cursor=${plain}`, `/songs?level=2&cursor=${plain}`]
  for (const url of misuses) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.match(json(response), { code: 'CURSOR_MISMATCH' }, url)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
  }
  for (const url of [`/songs?level=2&cursor=${byLevel}`, `/songs?sort=difficulty&cursor=${easiest}`, `/songs?cursor=${plain}`]) {
    t.equal((await app.inject(url)).statusCode, 200, `${url}: its own order`)
  }
  for (const url of ['/songs?sort=title', '/songs?sort=', '/songs?level=0', '/songs?level=1001', '/songs?level=2.5', '/songs?level=x', '/songs?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
    const response = await app.inject(url)
    t.equal(response.statusCode, 400, url)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', url)
  }
})
