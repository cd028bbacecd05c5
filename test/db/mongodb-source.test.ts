import { createServer } from 'node:net'
import t from 'tap'
import { chooseServerSource, chooseTestSource, mongodbAnswers } from '../../src/db/mongodb-source.ts'
import { mongoServerUrl } from '../helper.ts'
import { freePort } from '../run-script.ts'

/** A probe that answers `value` and counts its calls: a probe must not run when the answer does not need it. */
function probe (value: boolean) {
  const calls = { count: 0 }
  return Object.assign(async () => { calls.count++; return value }, { calls })
}

t.test('npm start: MONGODB_URL, else a MongoDB on the local port, else an embedded one; never embedded in production', async t => {
  const cases = [
    { mongodbUrlSet: true, production: false, local: false, expected: 'configured', probed: 0 },
    { mongodbUrlSet: true, production: true, local: false, expected: 'configured', probed: 0 },
    { mongodbUrlSet: false, production: false, local: true, expected: 'local', probed: 1 },
    { mongodbUrlSet: false, production: false, local: false, expected: 'embedded', probed: 1 },
    { mongodbUrlSet: false, production: true, local: false, expected: 'local', probed: 0 },
    { mongodbUrlSet: false, production: true, local: true, expected: 'local', probed: 0 }
  ] as const
  for (const { mongodbUrlSet, production, local, expected, probed } of cases) {
    const localAnswers = probe(local)
    const label = `URL ${mongodbUrlSet ? 'set' : 'unset'}, ${production ? 'production' : 'development'}, ${local ? 'a' : 'no'} local MongoDB`
    t.equal(await chooseServerSource({ mongodbUrlSet, production, localAnswers }), expected, `${label}: ${expected}`)
    t.equal(localAnswers.calls.count, probed, `${label}: the local port is probed ${probed} time(s)`)
  }
})

t.test('npm test: MONGODB_URL, else a container when Docker is there, else an embedded MongoDB', async t => {
  const cases = [
    { mongodbUrlSet: true, docker: true, expected: 'configured', probed: 0 },
    { mongodbUrlSet: true, docker: false, expected: 'configured', probed: 0 },
    { mongodbUrlSet: false, docker: true, expected: 'container', probed: 1 },
    { mongodbUrlSet: false, docker: false, expected: 'embedded', probed: 1 }
  ] as const
  for (const { mongodbUrlSet, docker, expected, probed } of cases) {
    const dockerAvailable = probe(docker)
    const label = `URL ${mongodbUrlSet ? 'set' : 'unset'}, Docker ${docker ? 'available' : 'missing'}`
    t.equal(await chooseTestSource({ mongodbUrlSet, dockerAvailable }), expected, `${label}: ${expected}`)
    t.equal(dockerAvailable.calls.count, probed, `${label}: Docker is probed ${probed} time(s)`)
  }
})

t.test('the local probe says yes only when a MongoDB answers, not for a closed or non-MongoDB port', async t => {
  t.equal(await mongodbAnswers(await mongoServerUrl()), true, 'the tests\' MongoDB answers')
  t.equal(await mongodbAnswers(`mongodb://127.0.0.1:${await freePort()}/songs`, 500), false, 'a closed port does not')

  const silent = createServer(socket => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
  await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => silent.close())
  const { port } = silent.address() as { port: number }
  t.equal(await mongodbAnswers(`mongodb://127.0.0.1:${port}/songs`, 500), false, 'a port that answers something else does not')
})
