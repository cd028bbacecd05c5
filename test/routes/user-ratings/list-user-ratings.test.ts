import t from 'tap'
import { signUp } from '../../accounts.ts'
import { buildTestApp, json } from '../../helper.ts'
import { rateSong } from '../../rate-song.ts'

t.test('GET /users/me/ratings pages the caller\'s ratings newest first; a changed rating moves to the front', async t => {
  const app = await buildTestApp(t)
  const alice = await signUp(app)
  const bob = await signUp(app)
  const songs: string[] = json(await app.inject('/songs?limit=7')).items.map((song: { id: string }) => song.id)
  for (const [i, songId] of songs.entries()) t.equal((await rateSong(app, songId, (i % 5) + 1, alice.authorization)).statusCode, 201)
  await rateSong(app, songs[0]!, 5, bob.authorization)
  await rateSong(app, songs[2]!, 1, alice.authorization) // changed: now the newest

  const expected = [songs[2], songs[6], songs[5], songs[4], songs[3], songs[1], songs[0]]
  const seen: { song_id: string, rating: number, rated_at: string }[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const response: { statusCode: number, body: string } = await app.inject({ url: `/users/me/ratings?limit=3${cursor ? `&cursor=${cursor}` : ''}`, headers: alice.authorization })
    t.equal(response.statusCode, 200)
    const page: { items: typeof seen, next_cursor: string | null } = json(response)
    t.ok(page.items.length <= 3)
    seen.push(...page.items)
    cursor = page.next_cursor
    pages++
  } while (cursor)
  t.equal(pages, 3)
  t.same(seen.map(r => r.song_id), expected, 'every rating once, newest first')
  t.match(seen[0], { song_id: songs[2], rating: 1, rated_at: /^\d{4}-\d\d-\d\dT/ })
  t.ok(seen.every((r, i) => i === 0 || r.rated_at <= seen[i - 1]!.rated_at), 'rated_at descends')
  t.same(json(await app.inject({ url: '/users/me/ratings', headers: bob.authorization })).items.map((r: { song_id: string }) => r.song_id), [songs[0]], 'bob sees only his')
})

t.test('a user without ratings gets an empty page; bad parameters are 400s; no token is a 401', async t => {
  const app = await buildTestApp(t)
  const alice = await signUp(app)
  t.same(json(await app.inject({ url: '/users/me/ratings', headers: alice.authorization })), { items: [], next_cursor: null })
  for (const query of ['limit=0', 'limit=101', 'cursor=nope', 'user_id=x']) {
    const response = await app.inject({ url: `/users/me/ratings?${query}`, headers: alice.authorization })
    t.equal(response.statusCode, 400, query)
    t.match(json(response), { code: 'VALIDATION_FAILED' }, query)
  }
  const anonymous = await app.inject('/users/me/ratings')
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.headers['www-authenticate'], 'Bearer')
})
