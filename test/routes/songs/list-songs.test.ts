import t from 'tap'
import { buildTestApp, json, seedSongs } from '../../helper.ts'

interface Page { items: { id: string, title: string }[], next_cursor: string | null }

t.test('GET /songs walks the whole catalog with any page size, no duplicate and no gap', async t => {
  const app = await buildTestApp(t)
  const seeded = (await seedSongs).map(song => song.title).sort()
  for (const limit of [1, 2, 3, 5, 10, 11, 12, 100]) {
    const titles: string[] = []
    const ids = new Set<string>()
    let cursor: string | null = null
    let pages = 0
    do {
      const response: { statusCode: number, body: string } = await app.inject({ url: '/songs', query: { limit: String(limit), ...(cursor ? { cursor } : {}) } })
      t.equal(response.statusCode, 200)
      const page: Page = json<Page>(response)
      t.ok(page.items.length <= limit && page.items.length > 0, `limit ${limit}: page size within bounds`)
      for (const song of page.items) {
        t.notOk(ids.has(song.id), `limit ${limit}: ${song.title} seen once`)
        ids.add(song.id)
        titles.push(song.title)
      }
      cursor = page.next_cursor
      pages++
    } while (cursor !== null)
    t.same(titles.sort(), seeded, `limit ${limit}: every song exactly once`)
    t.equal(pages, Math.ceil(seeded.length / limit), `limit ${limit}: ${pages} pages`)
  }
})

t.test('GET /songs defaults to 20 per page and returns full songs', async t => {
  const app = await buildTestApp(t)
  const response = await app.inject('/songs')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const page = json(response)
  t.equal(page.items.length, 11)
  t.equal(page.next_cursor, null)
  for (const song of page.items) {
    t.match(song, { id: /^[0-9a-f]{24}$/, artist: String, title: String, difficulty: Number, level: Number, released: /^\d{4}-\d{2}-\d{2}$/ })
    t.same(Object.keys(song).sort(), ['artist', 'difficulty', 'id', 'level', 'rating', 'released', 'title'], 'no internal fields leak')
  }
  t.match(page.items.find((s: { title: string }) => s.title === 'Awaki-Waki'), { artist: 'Mr Fastfinger', difficulty: 15, level: 13, released: '2012-05-11' })
})

t.test('GET /songs rejects bad limits and cursors with 400 problems', async t => {
  const app = await buildTestApp(t)
  for (const query of ['limit=0', 'limit=101', 'limit=1e400', 'limit=2.5', 'limit=ten', 'limit=-1', 'cursor=abc', 'cursor=awJU6euGa7HlURs%2B', 'cursor=', 'unknown=1']) {
    const response = await app.inject(`/songs?${query}`)
    t.equal(response.statusCode, 400, query)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', query)
    t.match(json(response), { status: 400, code: 'VALIDATION_FAILED', errors: [{ field: /^querystring/ }] }, query)
  }
})
