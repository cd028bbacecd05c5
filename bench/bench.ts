// npm run bench -- --songs N --ratings M [--seed S] [--duration SECONDS] [--connections C] [--workers W]
// Loads (or reuses) a synthetic catalog of that size, starts the API with one process per core and drives each
// route with autocannon, next to a constant baseline route through the same stack. Several sizes
// (--songs 10000,1000000 --ratings 50000,5000000) run one after the other and add a growth table; so does
// --growth-from bench/results/<earlier run>.json.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import autocannon, { type Result } from 'autocannon'
import { MongoClient } from 'mongodb'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { loadConfig } from '../src/config.ts'
import { collections as collectionsOf } from '../src/db/collections.ts'
import { reconcileRatings } from '../src/db/reconcile-ratings.ts'
import { encodeCursor } from '../src/lib/cursor.ts'
import { engineOf } from '../src/db/engine.ts'
import { searchWords } from '../src/lib/search-words.ts'
import { LEVELS, ratingId, ratingsPerSong, songId } from './catalog.ts'
import { loadCatalog } from './load-catalog.ts'
import { BASELINE_PATH, PLAIN_PAGE_PATH } from './baseline.ts'
import { signedInListener } from './signed-in-listener.ts'
import { BAND_NOUNS, FIRST_NAMES, LAST_NAMES, NOUNS, SMALL_WORDS } from './words.ts'

const { values } = parseArgs({
  options: {
    songs: { type: 'string', default: '10000' },
    ratings: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '1' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    workers: { type: 'string', default: String(availableParallelism()) },
    port: { type: 'string', default: '3999' },
    // A result file of an earlier run to compare against, instead of running two sizes now.
    'growth-from': { type: 'string' }
  }
})
const numbers = (name: Exclude<keyof typeof values, 'growth-from'>) => String(values[name]).split(',').map(value => {
  const number = Number(value)
  if (!Number.isSafeInteger(number) || number < 0) throw new Error(`--${name} takes whole numbers, not ${JSON.stringify(values[name])}`)
  return number
})
const songCounts = numbers('songs')
const ratingCounts = numbers('ratings')
if (songCounts.length !== ratingCounts.length) throw new Error('give --songs and --ratings the same number of sizes')
const [seed, duration, connections, workers, port] = (['seed', 'duration', 'connections', 'workers', 'port'] as const).map(name => numbers(name)[0]!) as [number, number, number, number, number]
const baseUrl = loadConfig().mongodbUrl

const PLAIN_PAGE_ROUTE = 'first page without ratings (bench only)'
/** The rows a page's ratings are measured by, against the plain page of the same run. */
const WITH_RATINGS = ['GET /songs first page', 'GET /songs signed in (my_rating)']

interface Row { route: string, reqPerSec: number, p50: number, p97_5: number, p99: number, non2xx: number, errors: number, ratio: number, found?: Found }
/** Songs in the 200 answers of a list or search row: their mean, fewest and most (a search that finds nothing shows as 0). */
interface Found { mean: number, min: number, max: number }
interface Case { route: string, method?: 'GET' | 'POST', paths: () => string, body?: () => string, headers?: Record<string, string> }

const label = (n: number) => n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 100 === 0 ? `${n / 1e3}k` : String(n)

function random (salt: number) {
  const rng = xoroshiro128plus(seed * 1000 + salt)
  return <T>(items: readonly T[]) => items[uniformInt(rng, 0, items.length - 1)]!
}

/** The realistic parameter mixes, drawn from the catalog itself (its ids and its words). */
function cases (songs: number, hotSong: string, signedIn: Record<string, string>): Case[] {
  const ordinals = Array.from({ length: 5000 }, (_, i) => Math.floor((i * songs) / 5000))
  const ids = ordinals.map(ordinal => songId(seed, ordinal).toHexString())
  // Deep pages: cursors from the back half of the catalog, as a crawl reaches them.
  const cursors = ordinals.filter(ordinal => ordinal >= songs / 2).map(ordinal => encodeCursor(songId(seed, ordinal)))
  const words = (list: string[]) => list.flatMap(searchWords)
  const common = [...words(SMALL_WORDS), 'lo', 'the', 'su', 'da']
  const rare = words([...LAST_NAMES, ...BAND_NOUNS])
  const several = words(FIRST_NAMES).flatMap(first => words(NOUNS).slice(0, 12).map(noun => `${first} ${noun.slice(0, 3)}`))
  const levels = [...Array.from({ length: LEVELS }, (_, i) => `?level=${i + 1}`), ...Array.from({ length: LEVELS }, (_, i) => `?level=${LEVELS + i + 1}`), '']
  // Words no song has: the search that found nothing only after reading the whole catalog on some engines.
  const absent = ['zzzz', 'xylophone', 'quokka', 'vv', 'kz9']
  const pick = random(1)
  const search = (messages: string[]) => () => `/songs/search?limit=20&message=${encodeURIComponent(pick(messages))}`
  const levelsWithSongs = Array.from({ length: LEVELS }, (_, i) => i + 1)
  return [
    // The O(1) routes first, the scanning ones last: requests still running when a case ends must not slow the next.
    { route: 'baseline (constant JSON)', paths: () => BASELINE_PATH },
    { route: 'GET /songs/avg/difficulty', paths: () => `/songs/avg/difficulty${pick(levels)}` },
    { route: 'GET /songs/avg/rating/:id', paths: () => `/songs/avg/rating/${pick(ids)}` },
    { route: 'POST /songs/rating (many songs)', method: 'POST', paths: () => '/songs/rating', body: () => JSON.stringify({ song_id: pick(ids), rating: pick([1, 2, 3, 4, 5]) }) },
    { route: 'POST /songs/rating (one hot song)', method: 'POST', paths: () => '/songs/rating', body: () => JSON.stringify({ song_id: hotSong, rating: 4 }) },
    { route: PLAIN_PAGE_ROUTE, paths: () => PLAIN_PAGE_PATH },
    { route: 'GET /songs first page', paths: () => '/songs?limit=20' },
    { route: 'GET /songs deep page', paths: () => `/songs?limit=20&cursor=${pick(cursors)}` },
    { route: 'GET /songs signed in (my_rating)', paths: () => '/songs?limit=20', headers: signedIn },
    { route: 'GET /songs a level', paths: () => `/songs?limit=20&level=${pick(levelsWithSongs)}` },
    { route: 'GET /songs by difficulty', paths: () => '/songs?limit=20&sort=difficulty' },
    { route: 'GET /songs a level by difficulty', paths: () => `/songs?limit=20&sort=difficulty&level=${pick(levelsWithSongs)}` },
    { route: 'GET /songs/search common word', paths: search(common) },
    { route: 'GET /songs/search rare word', paths: search(rare) },
    { route: 'GET /songs/search absent word', paths: search(absent) },
    { route: 'GET /songs/search two words', paths: search(several) },
    { route: 'GET /songs/search within a level', paths: () => `/songs/search?limit=20&message=${encodeURIComponent(pick(common))}&level=${pick(levelsWithSongs)}` }
  ]
}

async function drive (url: string, { method = 'GET', paths, body, headers = {} }: Case, seconds: number, found: number[] = []): Promise<Result> {
  return autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [{
      method,
      headers: { 'content-type': 'application/json', ...headers },
      setupRequest: request => ({ ...request, path: paths(), ...(body ? { body: body() } : {}) }),
      onResponse: (status, answer) => {
        if (status === 200 && answer.startsWith('{"items":')) found.push((JSON.parse(answer) as { items: unknown[] }).items.length)
      }
    }]
  })
}

async function withServer<T> (databaseUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  // The limiter and load shedding stay in the stack but never answer (429/503), and the database timeout is long
  // enough for servers that scan (FerretDB): the benchmark measures latency, not how fast requests are refused.
  // Started as `npm start` starts the server: with the tracing preload, which does nothing unless OTEL_* asks for traces.
  const child = spawn(process.execPath, ['--import', './src/tracing.ts', 'bench/server.ts'], {
    env: {
      ...process.env,
      MONGODB_URL: databaseUrl,
      PORT: String(port),
      BENCH_WORKERS: String(workers),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '1000000000',
      // One signing key for every worker process: a token one signed is valid on all (unset, each draws its own).
      JWT_SECRET: randomBytes(48).toString('base64'),
      MAX_EVENT_LOOP_DELAY_MS: '60000',
      MONGODB_TIMEOUT_MS: '60000'
    },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('bench server listening')) resolve() })
      child.on('exit', code => reject(new Error(`the bench server exited (${code})`)))
    })
    return await run(`http://127.0.0.1:${port}`)
  } finally {
    child.kill('SIGTERM')
  }
}

async function benchSize (songs: number, ratings: number) {
  const name = `bench_${songs}_${ratings}_${seed}`
  const databaseUrl = baseUrl.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${name}`)
  const client = await MongoClient.connect(databaseUrl)
  try {
    const collections = collectionsOf(client.db())
    // Loaded in id order, so the last song and rating being there means the whole catalog is (point reads: counting
    // scans on FerretDB).
    const loaded = await Promise.all([
      songs === 0 || collections.songs.findOne({ _id: songId(seed, songs - 1) }),
      ratings === 0 || collections.ratings.findOne({ _id: ratingId(seed, ratings - 1) })
    ])
    if (loaded.some(found => !found)) {
      process.stderr.write(`loading ${name} (resuming where a previous load stopped, if one did)…\n`)
      await loadCatalog(collections, { songs, ratings, seed, batchSize: 5000, onProgress: (phase, done) => process.stderr.write(`\r${phase} ${done}   `) })
      process.stderr.write('\n')
    }
    const server = (await engineOf(client.db())).name
    const load = { before: loadavg()[0]!, after: 0 }
    // The most rated song of the catalog gets the hot-song posts.
    const perSong = ratingsPerSong(songs, ratings)
    const hotId = songId(seed, perSong.reduce((best, count, ordinal) => count > perSong[best]! ? ordinal : best, 0))
    const results: { route: string, result: Result, found: number[] }[] = []
    await withServer(databaseUrl, async url => {
      const list = cases(songs, hotId.toHexString(), await signedInListener(url))
      await drive(url, list[0]!, 2) // warm-up: connections, JIT
      for (const benchCase of list) {
        process.stderr.write(`${benchCase.route}…\n`)
        const found: number[] = []
        results.push({ route: benchCase.route, result: await drive(url, benchCase, duration, found), found })
        // Drain: one more request of the same kind answers after those the server was still working on.
        await fetch(`${url}${benchCase.paths()}`, {
          method: benchCase.method ?? 'GET', headers: { 'content-type': 'application/json', ...benchCase.headers }, body: benchCase.body?.(), signal: AbortSignal.timeout(300_000)
        }).catch(() => {})
      }
    })
    load.after = loadavg()[0]!
    // The hot-song case: every stored rating must be in the song's counts. MongoDB's atomic update guarantees it; a server
    // that applies updates as an unlocked read-modify-write (FerretDB) loses some: reconciliation counts and repairs them.
    const accepted = results.find(r => r.route.includes('hot song'))!.result.statusCodeStats?.['201']?.count ?? 0
    const counted = async () => (await collections.songs.findOne({ _id: hotId }, { projection: { 'rating.count': 1 } }))?.rating?.count ?? 0
    const folded = await counted()
    await reconcileRatings(collections, hotId)
    const stored = await counted()
    const lostUpdates = stored - folded

    const baseline = results[0]!.result.requests.average || 1
    const rows: Row[] = results.map(({ route, result, found }) => ({
      route,
      reqPerSec: Math.round(result.requests.average),
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      ratio: Math.round((result.requests.average / baseline) * 100) / 100,
      ...(found.length > 0 && { found: { mean: Math.round(found.reduce((a, b) => a + b, 0) / found.length * 10) / 10, min: Math.min(...found), max: Math.max(...found) } })
    }))
    return {
      size: { songs, ratings, seed },
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, database: server, loadAverage: load },
      settings: { workers, connections, durationSeconds: duration, rateLimitMax: 1_000_000_000 },
      hotSong: { id: hotId.toHexString(), accepted, ratingsStored: stored, foldedIntoSummary: folded, lostUpdates },
      rows
    }
  } finally {
    await client.close()
  }
}

type Report = Awaited<ReturnType<typeof benchSize>>

function table (report: Report): string {
  const lines = [
    `${label(report.size.songs)} songs, ${label(report.size.ratings)} ratings — ${report.machine.database}; ${report.settings.workers} API processes, ` +
      `${report.settings.connections} connections, ${report.settings.durationSeconds} s per route; load average ${report.machine.loadAverage.before.toFixed(1)} → ${report.machine.loadAverage.after.toFixed(1)} on ${report.machine.cpus} cores`,
    '',
    '| route | req/s | p50 ms | p97.5 ms | p99 ms | non-2xx | errors | vs baseline | songs found a page (mean, min–max) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.rows.map(r => `| ${r.route} | ${r.reqPerSec} | ${r.p50} | ${r.p97_5} | ${r.p99} | ${r.non2xx} | ${r.errors} | ${r.ratio.toFixed(2)} | ` +
      `${r.found ? `${r.found.mean} (${r.found.min}–${r.found.max})` : '–'} |`),
    '',
    ratingsCost(report.rows),
    '',
    `Hot song: ${report.hotSong.accepted} posts answered 201 in the run; it has ${report.hotSong.ratingsStored} ratings stored and its summary had counted ` +
      `${report.hotSong.foldedIntoSummary} (${report.hotSong.lostUpdates} lost updates${report.hotSong.lostUpdates ? ', repaired by reconciliation' : ''}).`
  ]
  return lines.join('\n')
}

/** What ratings add to a page: the first page with them (anonymous and signed in) against the plain page, p50. */
function ratingsCost (rows: Row[]): string {
  const plain = rows.find(r => r.route === PLAIN_PAGE_ROUTE)
  if (!plain) return 'Ratings on a page: no plain page in this run.'
  const parts = WITH_RATINGS.flatMap(route => {
    const row = rows.find(r => r.route === route)
    return row ? [`${route} ${row.p50} ms (${(row.p50 / Math.max(plain.p50, 1)).toFixed(2)}×)`] : []
  })
  return `Ratings on a page, p50 against the plain page's ${plain.p50} ms: ${parts.join('; ')}.`
}

function growth (small: Report, large: Report): string {
  // Rows are matched by route: a run from before a route was split or added shows a dash there.
  const dash = (value: number | undefined) => value === undefined ? '–' : String(value)
  const ratio = (a: number | undefined, b: number | undefined) => a === undefined || b === undefined ? '–' : (b / Math.max(a, 1)).toFixed(2)
  return [
    `Growth from ${label(small.size.songs)} to ${label(large.size.songs)} songs (p50 and p97.5 latency, req/s; ratios large ÷ small)`,
    '',
    '| route | p50 ms small | p50 ms large | p97.5 ms small | p97.5 ms large | p50 ratio | p97.5 ratio | req/s ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...large.rows.map(row => {
      const other = small.rows.find(r => r.route === row.route)
      return `| ${row.route} | ${dash(other?.p50)} | ${row.p50} | ${dash(other?.p97_5)} | ${row.p97_5} | ${ratio(other?.p50, row.p50)} | ` +
        `${ratio(other?.p97_5, row.p97_5)} | ${ratio(other?.reqPerSec, row.reqPerSec)} |`
    })
  ].join('\n')
}

const reports: Report[] = []
const day = new Date().toISOString().slice(0, 10)
await mkdir(new URL('results/', import.meta.url), { recursive: true })
for (const [i, songs] of songCounts.entries()) {
  const report = await benchSize(songs, ratingCounts[i]!)
  reports.push(report)
  const text = table(report)
  console.log(`\n${text}\n`)
  const file = new URL(`results/${day}-${label(songs)}-songs-${label(report.size.ratings)}-ratings`, import.meta.url).pathname
  await writeFile(`${file}.json`, `${JSON.stringify(report, null, 2)}\n`)
  await writeFile(`${file}.md`, `${text}\n`)
}
if (values['growth-from']) reports.unshift(JSON.parse(await readFile(values['growth-from'], 'utf8')) as Report)
if (reports.length > 1) {
  const [small, large] = [reports[0]!, reports.at(-1)!]
  const text = growth(small, large)
  console.log(`${text}\n`)
  await writeFile(new URL(`results/${day}-growth-${label(small.size.songs)}-to-${label(large.size.songs)}.md`, import.meta.url).pathname, `${text}\n`)
}
