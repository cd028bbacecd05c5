import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { searchPrefixes, searchWords } from '../../src/lib/search-words.ts'
import { ratingsPerSong } from '../../bench/catalog.ts'
import { termsAgainstSongs } from '../catalog-terms.ts'
import { runScript } from '../run-script.ts'
import { expectedSummary } from '../expected-summary.ts'
import { json, testConfig, testDatabase } from '../helper.ts'

// With the default batch of 2,000 the songs are one batch whose terms (about 40 a song) are past the 25,000
// operations a write command may carry on every engine, and past a read's default first batch of 101.
const SONGS = 1200
const RATINGS = 3000

async function generate (url: string, ...args: string[]) {
  return runScript('bench/generate.ts', ['--songs', String(SONGS), '--ratings', String(RATINGS), ...args], { MONGODB_URL: url })
}

t.test('a generated catalog has derived data equal to what its raw songs and ratings give, as the API reports it', async t => {
  const { url, collections } = await testDatabase(t)
  const run = await generate(url, '--seed', '7')
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, `${SONGS} songs and ${RATINGS} ratings generated (seed 7); ${SONGS} songs and ${RATINGS} ratings new`)
  t.match(run.stderr, /ratings \[=+\] 3000\/3000 \| \d+\/s/, 'a progress bar with the rate')

  const songs = await collections.songs.find().toArray()
  const ratings = await collections.ratings.find().toArray()
  t.equal(songs.length, SONGS)
  t.equal(ratings.length, RATINGS)
  t.equal(new Set(songs.map(s => `${s.artist}\n${s.title}`)).size, SONGS, 'artist and title unique')
  for (const song of songs) t.same(song.search_prefixes.toSorted(), searchPrefixes(song.artist, song.title).toSorted(), `prefixes of ${song.title}`)
  const terms = await collections.searchTerms.countDocuments()
  t.ok(terms > 25_000, `${terms} terms written by one batch of songs`)
  t.same(await termsAgainstSongs(collections), { missing: [], extra: [] }, 'one search term per prefix of each song and its order keys, and no other')

  const perLevel = new Map<number, { count: number, sum: number }>()
  for (const { level, difficulty } of songs) {
    const stats = perLevel.get(level) ?? { count: 0, sum: 0 }
    perLevel.set(level, { count: stats.count + 1, sum: stats.sum + difficulty })
  }
  for (const stats of await collections.levelStats.find().toArray()) {
    t.equal(stats.count, perLevel.get(stats._id)?.count, `level ${stats._id} count`)
    t.ok(Math.abs(stats.sum - perLevel.get(stats._id)!.sum) < 1e-6, `level ${stats._id} sum`)
  }
  t.equal(await collections.levelStats.countDocuments(), perLevel.size)

  const perSong = new Map<string, number[]>()
  for (const { song_id: songId, rating } of ratings) perSong.set(songId.toHexString(), [...perSong.get(songId.toHexString()) ?? [], rating])
  t.ok([...perSong.keys()].every(id => songs.some(s => s._id.toHexString() === id)), 'every rating is of a generated song')
  const counted = await collections.songs.find({ rating: { $exists: true } }, { projection: { rating: 1 } }).toArray()
  t.equal(counted.length, perSong.size, 'counts on every rated song, and only on those')
  for (const { _id, rating: { count, sum, distribution } = { count: 0, sum: 0, distribution: {} } } of counted) {
    const stars = perSong.get(_id.toHexString())!
    const expected = expectedSummary(_id.toHexString(), stars)
    t.same({ count, sum, distribution }, { count: stars.length, sum: stars.reduce((a, b) => a + b, 0), distribution: Object.fromEntries(Object.entries(expected.distribution).filter(([, n]) => n > 0)) })
  }

  // FerretDB 1 scans every term of the catalog for each read of a search: more than the default 2 s on a busy machine.
  const app = await buildApp(testConfig({ MONGODB_URL: url, RATE_LIMIT_MAX: '100000', MONGODB_TIMEOUT_MS: '30000' }))
  t.teardown(() => app.close())
  const level = songs[0]!.level
  const ofLevel = songs.filter(s => s.level === level)
  const average = json(await app.inject(`/songs/avg/difficulty?level=${level}`))
  t.equal(average.songs, ofLevel.length)
  t.ok(Math.abs(average.average_difficulty - ofLevel.reduce((a, s) => a + s.difficulty, 0) / ofLevel.length) < 1e-9)
  const [hot] = [...perSong].sort((a, b) => b[1].length - a[1].length)
  t.equal(json(await app.inject(`/songs/avg/rating/${hot![0]}`)).count, hot![1].length, 'the API reads the summary')
  const posted = await app.inject({ method: 'POST', url: '/songs/rating', payload: { song_id: hot![0], rating: 5 } })
  t.equal(json(posted).count, hot![1].length + 1, 'a posted rating folds into a generated summary')
  const song = songs.at(-1)!
  const found = json(await app.inject(`/songs/search?limit=100&message=${encodeURIComponent(`${searchWords(song.artist)[0]} ${searchWords(song.title).at(-1)}`)}`))
  t.ok(found.items?.some((item: { id: string }) => item.id === song._id.toHexString()), `search finds a generated song by its words (${found.code ?? `${found.items.length} found`})`)
})

t.test('generation is deterministic given the seed and resumes without counting anything twice', async t => {
  const first = await testDatabase(t)
  const second = await testDatabase(t)
  const other = await testDatabase(t)
  t.equal((await generate(first.url, '--seed', '3')).code, 0)
  t.equal((await generate(second.url, '--seed', '3')).code, 0)
  t.equal((await generate(other.url, '--seed', '4')).code, 0)
  const contents = async ({ collections }: typeof first) => ({
    songs: await collections.songs.find().sort({ _id: 1 }).toArray(),
    ratings: await collections.ratings.find().sort({ _id: 1 }).toArray()
  })
  const a = await contents(first)
  t.same(await contents(second), a, 'same seed, same documents and ids')
  t.not(JSON.stringify((await contents(other)).songs), JSON.stringify(a.songs), 'another seed, another catalog')

  const levels = await first.collections.levelStats.find().sort({ _id: 1 }).toArray()
  const again = await generate(first.url, '--seed', '3')
  t.match(again.stdout, '0 songs and 0 ratings new')
  t.same(await contents(first), a, 'songs (their rating counts too) and ratings unchanged by a rerun')
  t.same(await first.collections.levelStats.find().sort({ _id: 1 }).toArray(), levels, 'level stats unchanged by a rerun')
})

t.test('ratings follow a skewed popularity and add up to exactly the number asked for', async t => {
  const counts = ratingsPerSong(1000, 5000)
  t.equal(counts.reduce((a, b) => a + b, 0), 5000)
  t.ok(Math.max(...counts) > 100, 'a hot song gets far more than the mean of 5')
  t.ok(counts.filter(c => c === 0).length > 0, 'some songs have no rating')
  t.equal(ratingsPerSong(0, 10).length, 0)
})

t.test('npm run generate refuses a count that is not a whole number', async t => {
  const run = await runScript('bench/generate.ts', ['--songs', 'many'], { MONGODB_URL: 'mongodb://127.0.0.1:1/x' })
  t.equal(run.code, 2)
  t.match(run.stderr, '--songs must be a whole number, not "many"')
})
