import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { externalProgram } from '../external-program.ts'
import { testDatabase } from '../helper.ts'
import { freePort, runProgram, startServer } from '../run-script.ts'

const CONFIG = new URL('../../schemathesis.toml', import.meta.url).pathname
const st = externalProgram('st', 'pip install -r .ci/requirements.txt: Schemathesis, pinned')
// The file's own limit (tap's default from .taprc is far shorter): the run below may take 540 s on a loaded
// machine, plus the server's start and the database.
t.setTimeout(660_000)

t.test('Schemathesis finds no failure: every check, every phase, against a running server', { skip: st.skip, timeout: 600_000 }, async t => {
  const { url } = await testDatabase(t)
  const port = await freePort()
  // The limits stay on (a 429 is a conforming answer) but high enough that the run tests the API, not the limiters:
  // the fuzzer signs in with wrong passwords many times.
  const admin = { SONGS_API_USERNAME: 'fuzz-admin', SONGS_API_PASSWORD: 'a long fuzzing password' }
  const server = await startServer({
    MONGODB_URL: url,
    PORT: String(port),
    RATE_LIMIT_MAX: '1000000',
    SIGN_IN_MAX_FAILURES: '1000000',
    ADMIN_USERNAME: admin.SONGS_API_USERNAME,
    ADMIN_PASSWORD: admin.SONGS_API_PASSWORD
  })
  t.teardown(server.stop)
  // The account the admin operations on one user are fuzzed on (schemathesis.toml), so the fuzzer keeps its own.
  const target = await fetch(`http://127.0.0.1:${port}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fuzz-target', password: 'a long target password' }) })
  t.equal(target.status, 201, 'the target account is made')
  const env = { ...admin, SONGS_API_TARGET_USER_ID: (await target.json() as { id: string }).id }
  // Its own working directory: nothing Schemathesis writes lands in the project.
  const workdir = await mkdtemp(join(tmpdir(), 'songs-api-schemathesis-'))
  t.teardown(() => rm(workdir, { recursive: true, force: true }))

  // Every check is on in the configuration (`[checks] enabled = true`, what `--checks all` does), so the few
  // exceptions it makes, each with its reason, hold; `--checks all` here would override them.
  const { code, stdout, stderr } = await runProgram(st.path!, ['--config-file', CONFIG, '--no-color', 'run', `http://127.0.0.1:${port}/openapi.json`,
    '--phases', 'examples,coverage,fuzzing,stateful'], { cwd: workdir, env, timeout: 540_000, maxBuffer: 64 * 1024 * 1024 })
  const output = stdout + stderr
  const generated = /(\d+) generated, (.*)/.exec(output)
  t.comment(`Schemathesis: ${generated?.[0] ?? 'no summary'}`)
  t.ok(generated && Number(generated[1]) > 0, 'test cases were generated')
  t.match(output, /Selected: (\d+)\/\1/, 'every operation of the document was selected')
  for (const phase of ['Examples', 'Coverage', 'Fuzzing', 'Stateful']) t.match(output, new RegExp(`✅ ${phase}`), `${phase} phase passed`)
  // Only three operations may answer nothing but 401: POST /auth/refresh (a refresh token cannot be generated, only
  // issued), and PUT /users/me/password and DELETE /users/me, reached with the token but never with the admin's
  // password (which the fuzzer must neither change nor use to delete itself: it signs in with it), so their answer
  // is 401 INVALID_CREDENTIALS.
  const onlyUnauthorized = new Set(['POST /auth/refresh', 'PUT /users/me/password', 'DELETE /users/me'])
  // The operations listed under the "Authentication failed" warning (other warnings list operations too).
  const authWarning = /Authentication failed:[^]*?(?=\n💡|\n=+ SUMMARY)/.exec(output)?.[0] ?? ''
  const unauthenticated = [...authWarning.matchAll(/^\s+- ((?:GET|POST|PUT|PATCH|DELETE) \S+)$/gm)].map(match => match[1])
  t.same(unauthenticated.filter(operation => !onlyUnauthorized.has(operation!)), [], 'every operation that takes a token was reached with one')
  t.equal(code, 0, 'no failure', { output: output.slice(-6000) })
})
