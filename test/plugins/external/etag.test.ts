import t from 'tap'
import { buildTestApp, json } from '../../helper.ts'
import { firstSongId, rateSong } from '../../rate-song.ts'

t.test('catalog reads carry an ETag and their Cache-Control, and a matching If-None-Match gets an empty 304', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  const routes: [url: string, cacheControl: string][] = [
    ['/songs?limit=2', 'public, max-age=60'],
    ['/songs/search?message=yousic', 'public, max-age=60'],
    ['/songs/avg/difficulty?level=13', 'public, max-age=60'],
    [`/songs/avg/rating/${songId}`, 'public, max-age=5']
  ]
  for (const [url, cacheControl] of routes) {
    const first = await app.inject(url)
    t.equal(first.statusCode, 200, url)
    t.equal(first.headers['cache-control'], cacheControl, url)
    const etag = first.headers.etag as string
    t.match(etag, /^"[^"]+"$/, `${url} has a strong ETag`)
    const again = await app.inject({ url, headers: { 'if-none-match': etag } })
    t.equal(again.statusCode, 304, `${url} unchanged`)
    t.equal(again.body, '')
    t.equal(again.headers.etag, etag)
    t.equal((await app.inject({ url, headers: { 'if-none-match': '"something-else"' } })).statusCode, 200, `${url} with another tag`)
  }
})

t.test('a change gives a new ETag, so a cache revalidating with the old one gets the new answer', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  const url = `/songs/avg/rating/${songId}`
  const before = await app.inject(url)
  await rateSong(app, songId, 4)
  const after = await app.inject({ url, headers: { 'if-none-match': before.headers.etag as string } })
  t.equal(after.statusCode, 200)
  t.not(after.headers.etag, before.headers.etag)
  t.equal(json(after).count, 1)
})

t.test('posting a rating and every problem answer are no-store and never a 304', async t => {
  const app = await buildTestApp(t)
  const songId = await firstSongId(app)
  const posted = await rateSong(app, songId, 3)
  t.equal(posted.statusCode, 201)
  t.equal(posted.headers['cache-control'], 'no-store')

  for (const url of ['/songs/avg/rating/0123456789abcdef01234567', '/songs?limit=0', '/nowhere']) {
    const problem = await app.inject(url)
    t.ok(problem.statusCode >= 400, url)
    t.equal(problem.headers['content-type'], 'application/problem+json; charset=utf-8', url)
    t.equal(problem.headers['cache-control'], 'no-store', url)
    const etag = problem.headers.etag as string | undefined
    const again = await app.inject({ url, headers: { 'if-none-match': etag ?? '*' } })
    t.equal(again.statusCode, problem.statusCode, `${url} is answered in full again, not 304`)
    t.match(json(again), { status: problem.statusCode }, url)
  }
})
