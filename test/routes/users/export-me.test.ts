import t from 'tap'
import { signUp } from '../../accounts.ts'
import { buildTestApp, json } from '../../helper.ts'
import { giveRatings, moreSongs } from '../../rated-account.ts'

t.setTimeout(300_000)

t.test('GET /users/me/export streams the account and its 3,000 ratings as one JSON document, with no hash or token', async t => {
  const app = await buildTestApp(t)
  const songs = await moreSongs(app, 3000)
  const user = await signUp(app, { username: 'Exporter' })
  const other = await signUp(app)
  await giveRatings(app, user.id, songs)
  await giveRatings(app, other.id, songs.slice(0, 10))

  const response = await app.inject({ url: '/users/me/export', headers: user.authorization, payloadAsStream: true })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  t.equal(response.headers['cache-control'], 'no-store')
  t.match(response.headers['content-disposition'], /^attachment; filename="songs-api-export-[0-9a-f]{24}\.json"$/)
  t.notOk(response.headers['content-length'], 'streamed: no length known up front')
  const chunks: Buffer[] = []
  for await (const chunk of response.stream()) chunks.push(chunk as Buffer)
  t.ok(chunks.length > 1, `arrived in ${chunks.length} chunks`)
  const body = Buffer.concat(chunks).toString()
  const data = JSON.parse(body) as { account: Record<string, unknown>, ratings: { song_id: string, rating: number, rated_at: string }[] }
  t.same(data.account, json(await app.inject({ url: '/users/me', headers: user.authorization })), 'the account as GET /users/me answers it')
  t.same(Object.keys(data), ['account', 'ratings'])
  t.equal(data.ratings.length, 3000, 'every rating of the user, none of another')
  t.same(new Set(data.ratings.map(r => r.song_id)), new Set(songs.map(song => song.toHexString())))
  t.ok(data.ratings.every(r => Object.keys(r).join() === 'song_id,rating,rated_at'), 'each rating is {song_id, rating, rated_at}')
  t.ok(data.ratings.every((r, i) => i === 0 || data.ratings[i - 1]!.rated_at >= r.rated_at), 'newest first')
  const stored = await app.database.collections.users.findOne({ username: 'exporter' })
  for (const secret of [stored!.password_hash, user.password, user.accessToken, user.refreshToken, 'password', 'hash', 'token']) {
    t.notOk(body.includes(secret), `the export does not contain ${secret.length > 12 ? 'the ' + secret.slice(0, 8) + '…' : secret}`)
  }
})

t.test('GET /users/me/export of an account without ratings, and without a token', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const empty = await app.inject({ url: '/users/me/export', headers: user.authorization })
  t.equal(empty.statusCode, 200)
  t.match(json(empty), { account: { id: user.id, disabled: false }, ratings: [] })
  const anonymous = await app.inject('/users/me/export')
  t.equal(anonymous.statusCode, 401)
  t.match(json(anonymous), { code: 'UNAUTHORIZED' })
})
