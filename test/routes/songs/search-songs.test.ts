import t from 'tap'
import { buildTestApp, json } from '../../helper.ts'

async function titles (app: Awaited<ReturnType<typeof buildTestApp>>, message: string, limit = 100): Promise<string[]> {
  const response = await app.inject({ url: '/songs/search', query: { message, limit: String(limit) } })
  if (response.statusCode !== 200) throw new Error(`${message}: ${response.statusCode} ${response.body}`)
  return json(response).items.map((song: { title: string }) => song.title).sort()
}

t.test('every word must start a word of the artist or title, ignoring case, accents and punctuation', async t => {
  const app = await buildTestApp(t)
  t.equal((await titles(app, 'yousic')).length, 10, '"yousic" matches every song by The Yousicians')
  t.same(await titles(app, 'ALABAMA sun'), ['Alabama Sunrise'])
  t.same(await titles(app, 'waki'), ['Awaki-Waki'])
  t.same(await titles(app, "can't"), ["Can't Buy Me Skills"])
  t.same(await titles(app, 'CANT'), ["Can't Buy Me Skills"])
  t.same(await titles(app, 'fastfinger'), ['Awaki-Waki'], 'artist words match too')
  t.same(await titles(app, 'Álabámá'), ['Alabama Sunrise'], 'accents in the query are folded')
  t.same(await titles(app, 'the power'), ["You've Got The Power"])
  t.same(await titles(app, 'yousicians  -  boss!!'), ['Greasy Fingers - boss level'])
  t.same(await titles(app, 'sicians'), [], 'the middle of a word does not match')
  t.same(await titles(app, 'alabama kennel'), [], 'every word must match')
  t.same(await titles(app, 'a.*'), ['A New Kennel', 'Alabama Sunrise', 'Awaki-Waki', 'Vivaldi Allegro Mashup'], 'regex characters are plain text: "a.*" is the word "a"')
  t.same(await titles(app, '(fingers|power)'), [], 'an alternation is two words, not a pattern')
})

t.test('search results page like /songs', async t => {
  const app = await buildTestApp(t)
  const all = await titles(app, 'the')
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const response: { body: string } = await app.inject({ url: '/songs/search', query: { message: 'the', limit: '3', ...(cursor ? { cursor } : {}) } })
    const page: { items: { title: string }[], next_cursor: string | null } = json(response)
    seen.push(...page.items.map((song: { title: string }) => song.title))
    cursor = page.next_cursor
  } while (cursor)
  t.same(seen.sort(), all)
  t.equal(all.length, 10)
})

t.test('a missing, empty, too long or letterless message is a 400 problem', async t => {
  const app = await buildTestApp(t)
  for (const query of ['', 'message=', 'message=.*', 'message=%20%20', 'message=!!!', `message=${'a'.repeat(101)}`, 'message=a&limit=0', 'message=a&cursor=x']) {
    const response = await app.inject(`/songs/search?${query}`)
    t.equal(response.statusCode, 400, query)
    t.match(json(response), { code: 'VALIDATION_FAILED', errors: [{ field: /^querystring\./ }] }, query)
  }
})
