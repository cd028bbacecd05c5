import { randomBytes } from 'node:crypto'
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { externalProgram } from '../external-program.ts'
import { runProgram } from '../run-script.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const dockerCompose = externalProgram('docker-compose', 'apt-get install docker-compose')

/** compose.yaml in a directory of its own with the given .env (none when undefined), as a fresh clone has it. */
async function project (t: Test, dotenv: string | undefined) {
  const dir = await mkdtemp(join(tmpdir(), 'songs-api-compose-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await copyFile(`${ROOT}compose.yaml`, join(dir, 'compose.yaml'))
  if (dotenv !== undefined) await writeFile(join(dir, '.env'), dotenv)
  // Without the settings under test in the environment, which compose would prefer to .env.
  const env = { JWT_SECRET: undefined, ADMIN_USERNAME: undefined, ADMIN_PASSWORD: undefined }
  return (args: string[]) => runProgram(dockerCompose.path!, ['--ansi', 'never', ...args], { cwd: dir, env })
}

const example = readFile(`${ROOT}.env.example`, 'utf8')

t.test('compose.yaml is valid with a .env made from .env.example, and hands its settings to the API', { skip: dockerCompose.skip }, async t => {
  const secret = randomBytes(48).toString('base64')
  const dotenv = (await example)
    .replace(/^JWT_SECRET=$/m, `JWT_SECRET=${secret}`)
    .replace(/^# ADMIN_USERNAME=admin$/m, 'ADMIN_USERNAME=admin')
    .replace(/^# ADMIN_PASSWORD=$/m, 'ADMIN_PASSWORD=a-password-of-some-length')
  const compose = await project(t, dotenv)
  const { code, stdout, stderr } = await compose(['config'])
  t.equal(stderr, '')
  t.equal(code, 0, 'docker-compose config accepts it')
  const api = stdout.slice(stdout.indexOf('\n  api:'), stdout.indexOf('\n  mongo:'))
  t.match(api, `JWT_SECRET: ${secret}`)
  t.match(api, 'ADMIN_USERNAME: admin')
  t.match(api, 'ADMIN_PASSWORD: a-password-of-some-length')
})

t.test('without .env, or with .env.example copied unfilled, compose stops and says what to do', { skip: dockerCompose.skip }, async t => {
  for (const [label, dotenv] of [['no .env', undefined], ['.env.example as it is', await example]] as const) {
    const run = await (await project(t, dotenv))(['config', '-q'])
    t.not(run.code, 0, `${label}: refused`)
    t.match(run.stderr, /set JWT_SECRET \(32 or more random bytes\) in \.env - cp \.env\.example \.env/, `${label}: the message says how`)
  }
})

t.test('.env.example holds no secret and .env is never committed', async t => {
  t.match(await example, /^JWT_SECRET=$/m, 'JWT_SECRET is left empty')
  t.notMatch(await example, /^ADMIN_PASSWORD=./m, 'no admin password')
  t.ok((await readFile(`${ROOT}.gitignore`, 'utf8')).split('\n').includes('.env'), '.env is git-ignored')
})
