import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * Where an external program a test drives (promtool, hadolint, Schemathesis, …) is: an absolute path or a name
 * on PATH. `bash .ci/run` installs every one and sets `SONGS_API_REQUIRE_PROGRAMS=1`, so in CI a missing program
 * fails the test. Elsewhere the test is skipped with the returned reason, naming how to install it: `npm test`
 * on a laptop runs what the laptop has.
 */
export function externalProgram (program: string, install: string): { path: string, skip: false } | { path: undefined, skip: string } {
  const path = program.startsWith('/') ? (existsSync(program) ? program : undefined) : onPath(program)
  if (path) return { path, skip: false }
  const reason = `${program} is not installed (${install}; bash .ci/run installs it)`
  if (process.env.SONGS_API_REQUIRE_PROGRAMS === '1') throw new Error(reason)
  return { path: undefined, skip: reason }
}

function onPath (program: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v "$1"', 'sh', program], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}
