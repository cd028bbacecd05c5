import { createHmac } from 'node:crypto'
import t, { type Test } from 'tap'
import { buildApp } from '../../../src/app.ts'
import { keyId } from '../../../src/plugins/external/jwt.ts'
import { headerOf } from '../../accounts.ts'
import { freePort, startServer } from '../../run-script.ts'
import { testConfig, testDatabase } from '../../helper.ts'

t.test('without JWT_SECRET the server starts with a warning that tokens die on restart', async t => {
  const { url } = await testDatabase(t)
  const server = await startServer({ MONGODB_URL: url, PORT: String(await freePort()) })
  t.teardown(() => server.child.kill())
  const warning = server.output().split('\n').find(line => line.includes('JWT_SECRET is not set'))
  t.match(JSON.parse(warning ?? '{}'), { level: 40, msg: /random secret and stop working when this process restarts/ })
})

t.test('with JWT_SECRET there is no such warning', async t => {
  const { url } = await testDatabase(t)
  const server = await startServer({ MONGODB_URL: url, PORT: String(await freePort()), JWT_SECRET: 's'.repeat(40) })
  t.teardown(() => server.child.kill())
  t.match(server.output(), /Server listening/)
  t.notMatch(server.output(), /JWT_SECRET/)
})

const OLD_SECRET = 'the secret before the rotation: 32 bytes or more'
const NEW_SECRET = 'the secret after the rotation: also 32 bytes or more'

/** An instance's token signing and checking alone: the plugin needs no database. */
async function instance (t: Test, env: Record<string, string>) {
  const app = await buildApp(testConfig(env), {}, { database: false })
  t.teardown(() => app.close())
  return app
}

const claims = { sub: '6b0257a1eb866bb1e55122b0', session_version: 3 }

t.test('tokens carry a kid derived from JWT_SECRET, never the secret; tokens of previous secrets verify until they expire', async t => {
  const before = await instance(t, { JWT_SECRET: OLD_SECRET })
  const oldToken = before.jwt.sign(claims)
  t.same(headerOf(oldToken), { alg: 'HS256', typ: 'JWT', kid: keyId(Buffer.from(OLD_SECRET)) })
  t.match(keyId(Buffer.from(OLD_SECRET)), /^[0-9a-f]{16}$/)
  t.not(keyId(Buffer.from(OLD_SECRET)), keyId(Buffer.from(NEW_SECRET)), 'each secret its own kid')
  t.notOk(Buffer.from(oldToken.split('.')[0]!, 'base64url').toString().includes(OLD_SECRET.slice(0, 8)), 'the header carries no part of the secret')

  const rotated = await instance(t, { JWT_SECRET: NEW_SECRET, JWT_PREVIOUS_SECRETS: `another old secret of thirty-two bytes!,${OLD_SECRET}` })
  t.match(rotated.verifyAccessToken(oldToken), claims, 'a token of the previous secret verifies')
  const newToken = rotated.jwt.sign(claims)
  t.equal(headerOf(newToken).kid, keyId(Buffer.from(NEW_SECRET)), 'new tokens are signed with JWT_SECRET')
  t.match(rotated.verifyAccessToken(newToken), claims)
  t.throws(() => before.verifyAccessToken(newToken), 'an instance not yet rotated refuses the new secret\'s tokens')

  const done = await instance(t, { JWT_SECRET: NEW_SECRET })
  t.throws(() => done.verifyAccessToken(oldToken), 'once the previous secret is removed, its tokens are refused')
  t.match(done.verifyAccessToken(newToken), claims)
})

t.test('a previous secret checks only what it signed, with the same rules: HS256 and unexpired', async t => {
  const rotated = await instance(t, { JWT_SECRET: NEW_SECRET, JWT_PREVIOUS_SECRETS: OLD_SECRET })
  const oldKid = keyId(Buffer.from(OLD_SECRET))
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const signed = (header: object, payload: object, secret: string, algorithm = 'sha256') => {
    const input = `${part(header)}.${part(payload)}`
    return `${input}.${createHmac(algorithm, secret).update(input).digest('base64url')}`
  }
  const now = Math.floor(Date.now() / 1000)
  const live = { ...claims, iat: now, exp: now + 600 }
  t.match(rotated.verifyAccessToken(signed({ alg: 'HS256', typ: 'JWT', kid: oldKid }, live, OLD_SECRET)), claims, 'the control: a good token verifies')
  t.throws(() => rotated.verifyAccessToken(signed({ alg: 'HS256', typ: 'JWT', kid: oldKid }, { ...claims, iat: now - 1000, exp: now - 100 }, OLD_SECRET)), 'expired')
  t.throws(() => rotated.verifyAccessToken(signed({ alg: 'HS512', typ: 'JWT', kid: oldKid }, live, OLD_SECRET, 'sha512')), 'HS512')
  t.throws(() => rotated.verifyAccessToken(`${part({ alg: 'none', typ: 'JWT', kid: oldKid })}.${part(live)}.`), 'alg none')
  t.throws(() => rotated.verifyAccessToken(signed({ alg: 'HS256', typ: 'JWT', kid: oldKid }, live, NEW_SECRET)), 'the old kid with the new secret\'s signature')
  t.throws(() => rotated.verifyAccessToken(signed({ alg: 'HS256', typ: 'JWT' }, live, NEW_SECRET)), 'no kid')
  t.throws(() => rotated.verifyAccessToken(signed({ alg: 'HS256', typ: 'JWT', kid: { $ne: null } }, live, NEW_SECRET)), 'a kid that is not a string')
})
