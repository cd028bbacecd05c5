import ts from 'typescript'
import t from 'tap'
import { seedSongs, testDatabase } from '../helper.ts'
import { freePort, startServer } from '../run-script.ts'
import { songsClient } from './songs-client.ts'

const CLIENT_FILE = new URL('songs-client.ts', import.meta.url).pathname

t.test('the client on the generated types typechecks with tsc', async t => {
  const { config } = ts.readConfigFile(new URL('../../tsconfig.json', import.meta.url).pathname, ts.sys.readFile)
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, new URL('../..', import.meta.url).pathname)
  const program = ts.createProgram([CLIENT_FILE], options)
  const diagnostics = ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  t.same(diagnostics, [], 'no type errors')
  t.ok(program.getSourceFiles().some(file => file.fileName.endsWith('openapi/schema.d.ts')), 'checked against openapi/schema.d.ts')
})

t.test('the generated client drives a running server: pages, search, rating, summary, a level easiest first and a typed 404', async t => {
  const { url } = await testDatabase(t)
  const port = await freePort()
  const server = await startServer({ MONGODB_URL: url, PORT: String(port), LOG_LEVEL: 'info' })
  t.teardown(server.stop)
  const client = songsClient(`http://127.0.0.1:${port}`)

  const pages: string[][] = []
  for await (const page of client.allSongs(4)) pages.push(page.map(song => song.title))
  t.same(pages.map(page => page.length), [4, 4, 3], 'three pages of at most 4')
  t.same(pages.flat().sort(), (await seedSongs).map(song => song.title).sort(), 'every seeded song once')

  const found = await client.GET('/songs/search', { params: { query: { message: 'ALABAMA sun' } } })
  t.equal(found.response.status, 200)
  t.same(found.data?.items.map(song => song.title), ['Alabama Sunrise'])
  const songId = found.data!.items[0]!.id

  const rated = await client.POST('/songs/rating', { body: { song_id: songId, rating: 4 } })
  t.equal(rated.response.status, 201)
  t.same(rated.data, { song_id: songId, average: 4, lowest: 4, highest: 4, count: 1, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 } })

  const summary = await client.GET('/songs/avg/rating/{song_id}', { params: { path: { song_id: songId } } })
  t.same(summary.data, rated.data)

  // A level, easiest first: typed query parameters, and items typed with their rating.
  const level = await client.GET('/songs', { params: { query: { level: 6, sort: 'difficulty', limit: 100 } } })
  t.equal(level.response.status, 200)
  t.ok(level.data!.items.length > 0 && level.data!.items.every(song => song.level === 6), 'only level 6')
  t.same(level.data!.items.find(song => song.id === songId)?.rating, { average: 4, count: 1 }, 'each song with its rating')

  const missing = await client.GET('/songs/avg/rating/{song_id}', { params: { path: { song_id: '0123456789abcdef01234567' } } })
  t.equal(missing.data, undefined)
  t.equal(missing.response.status, 404)
  t.equal(missing.response.headers.get('content-type'), 'application/problem+json; charset=utf-8')
  // `error` is typed as the document's Problem: its fields are known to the compiler.
  t.match(missing.error, { status: 404, code: 'SONG_NOT_FOUND', detail: 'No song has id 0123456789abcdef01234567.' })
})
