import t from 'tap'
import { generateSongs } from '../../bench/catalog.ts'
import { songDocument } from '../../src/db/song-document.ts'
import { termsAgainstSongs } from '../catalog-terms.ts'
import { buildTestAppOn, json, testDatabase } from '../helper.ts'
import { logLines } from '../log-lines.ts'
import { runScript } from '../run-script.ts'

t.test('a start on a catalog without search terms says so; searches and /ready answer 503 until npm run search:build has run', async t => {
  const database = await testDatabase(t)
  const songs = [...generateSongs(21, 400)].map(songDocument)
  await database.collections.songs.insertMany(songs)
  const { stream, lines } = logLines()
  const app = await buildTestAppOn(t, database, { LOG_LEVEL: 'info' }, { logStream: stream })
  const said = lines.filter(line => String(line.msg).includes('search terms'))
  t.equal(said.length, 1, 'one line at start')
  t.match(said[0], { level: 50, msg: /not built.*npm run search:build/ })

  const ready = await app.inject('/ready')
  t.equal(ready.statusCode, 503)
  t.match(json(ready), { code: 'SEARCH_NOT_READY', detail: /npm run search:build/ })
  const search = await app.inject('/songs/search?message=the')
  t.equal(search.statusCode, 503, 'a search would miss songs: it says so instead')
  t.equal(search.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal((await app.inject('/songs?limit=5')).statusCode, 200, 'everything else serves')

  const run = await runScript('src/scripts/build-search-terms.ts', [], { MONGODB_URL: database.url })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /search terms built; 400 songs read/)
  t.match(run.stderr, /songs \[=+\] 400\/400/, 'a progress bar')
  t.same(await termsAgainstSongs(database.collections), { missing: [], extra: [] })

  t.equal((await app.inject('/ready')).statusCode, 200, 'ready once built, without a restart')
  const found = json(await app.inject('/songs/search?message=the&limit=100'))
  const want = songs.filter(song => song.search_prefixes.includes('the')).length
  t.equal(found.items.length, Math.min(100, want), `searches serve (${want} songs with "the")`)
  const again = await runScript('src/scripts/build-search-terms.ts', [], { MONGODB_URL: database.url })
  t.equal(again.code, 0, again.stderr)
})

t.test('npm run search:build against a database that cannot be reached: one line, exit code 1', async t => {
  const run = await runScript('src/scripts/build-search-terms.ts', [], { MONGODB_URL: 'mongodb://127.0.0.1:1/songs' })
  t.equal(run.code, 1)
  t.match(run.stderr, /^Cannot start: the database mongodb:\/\/127\.0\.0\.1:1\/songs cannot be reached/)
  t.equal(run.stderr.trim().split('\n').length, 1, run.stderr)
})
