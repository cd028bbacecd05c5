import t, { type Test } from 'tap'
import { MongoServerError } from 'mongodb'
import { databaseFailureLine } from '../../src/db/start-failure.ts'
import { freePort, runScript, startServer } from '../run-script.ts'
import { testDatabase } from '../helper.ts'

const STACK = /\n\s+at /

t.test('the line names the cause and the database, never the credentials in its URL, on one line', async t => {
  const url = 'mongodb://songs:hunter2-secret@db.example:27017/songs'
  const deadlock = databaseFailureLine(new MongoServerError({ ok: 0, errmsg: 'deadlock detected', code: 1, codeName: 'InternalError' }), url)
  t.equal(deadlock, 'Cannot start: the database mongodb://***@db.example:27017/songs refused: deadlock detected (InternalError 1)')
  const quoting = databaseFailureLine(new MongoServerError({ ok: 0, errmsg: `not authorized\non ${url}`, code: 13, codeName: 'Unauthorized' }), url)
  t.equal(quoting, 'Cannot start: the database mongodb://***@db.example:27017/songs refused: not authorized on mongodb://***@db.example:27017/songs (Unauthorized 13)',
    'a URL quoted in the message loses its credentials too, and the line its line breaks')
  t.equal(databaseFailureLine(new TypeError('a bug'), url), null, 'not a database failure: left to show its stack')
})

// A database whose index `artist_title_unique` has other keys than this API's: every start refuses to go on.
async function refusingDatabase (t: Test) {
  const database = await testDatabase(t)
  await database.collections.songs.createIndex({ title: 1 }, { name: 'artist_title_unique' })
  return database
}

function assertOneLine (t: Test, what: string, code: number | null, output: string, database: RegExp) {
  t.equal(code, 1, `${what} exits 1`)
  const lines = output.trim().split('\n')
  t.equal(lines.length, 1, `${what} prints one line: ${output}`)
  t.match(lines[0], /^Cannot start: the database /, `${what} says it cannot start`)
  t.match(lines[0], database, `${what} names the database`)
  t.notMatch(output, STACK, `${what}: no stack trace`)
}

t.test('npm start, seed and generate on a database that refuses an index: one line each, exit code 1', async t => {
  const { url } = await refusingDatabase(t)
  const name = new RegExp(url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') + ' refused: ')
  const server = await startServer({ MONGODB_URL: url, PORT: String(await freePort()), LOG_LEVEL: 'silent' })
  t.teardown(() => server.child.kill('SIGKILL'))
  assertOneLine(t, 'npm start', await server.exited, server.output(), name)
  const seed = await runScript('src/scripts/seed.ts', [], { MONGODB_URL: url })
  assertOneLine(t, 'npm run seed', seed.code, seed.stdout + seed.stderr, name)
  const generate = await runScript('bench/generate.ts', ['--songs', '10', '--ratings', '10'], { MONGODB_URL: url })
  assertOneLine(t, 'npm run generate', generate.code, generate.stdout + generate.stderr, name)
})

t.test('seed and generate against a closed port: one line naming the database, without its password', async t => {
  const url = `mongodb://songs:hunter2-secret@127.0.0.1:${await freePort()}/songs`
  for (const [what, script, args] of [['npm run seed', 'src/scripts/seed.ts', []], ['npm run generate', 'bench/generate.ts', ['--songs', '10', '--ratings', '10']]] as const) {
    const run = await runScript(script, [...args], { MONGODB_URL: url })
    assertOneLine(t, what, run.code, run.stdout + run.stderr, /mongodb:\/\/\*\*\*@127\.0\.0\.1:\d+\/songs cannot be reached: /)
    t.notMatch(run.stdout + run.stderr, /hunter2/, `${what}: never the password`)
  }
})
