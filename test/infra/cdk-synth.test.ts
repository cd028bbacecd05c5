import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { environments } from '../../infra/environments.ts'
import { externalProgram } from '../external-program.ts'
import { runProgram } from '../run-script.ts'

const ROOT = new URL('../..', import.meta.url).pathname
const CDK_CLI = join(ROOT, 'node_modules/aws-cdk/bin/cdk')

// The CLI and cfn-lint take about 20 s each on an idle 2-core machine and several times that under the suite's load.
t.setTimeout(360_000)

const out = mkdtempSync(join(tmpdir(), 'songs-api-cdk-'))
t.teardown(() => rmSync(out, { recursive: true, force: true }))
const templates = environments.map(environment => join(out, `songs-api-${environment.name}.template.json`))

t.test('`cdk synth` (the CLI, with cdk.json) writes a template per environment and the image asset from the Dockerfile', async t => {
  const synth = await runProgram(process.execPath, [CDK_CLI, 'synth', '--output', out, '--quiet'])
  t.equal(synth.code, 0, synth.stderr)
  for (const template of templates) t.ok(JSON.parse(readFileSync(template, 'utf8')).Resources, `${template} written`)
  const assets = JSON.parse(readFileSync(join(out, 'songs-api-production.assets.json'), 'utf8'))
  const images = Object.values(assets.dockerImages) as Array<{ source: { directory: string } }>
  t.equal(images.length, 1, 'one image: the API’s')
  t.ok(readFileSync(join(out, images[0]!.source.directory, 'Dockerfile'), 'utf8').includes('CMD ["node", "--import", "./src/tracing.ts", "src/server.ts"]'), 'built from the repository’s Dockerfile at deploy time')
})

const cfnLint = externalProgram('cfn-lint', 'pip install -r .ci/requirements.txt')
t.test('cfn-lint finds no error or warning in either template', { skip: cfnLint.skip }, async t => {
  const lint = await runProgram(cfnLint.path!, ['--format', 'parseable', ...templates])
  t.equal(lint.stdout + lint.stderr, '', 'no findings')
  t.equal(lint.code, 0)
})
