import { createHmac, generateKeyPairSync, createSign } from 'node:crypto'
import { ObjectId, type CommandStartedEvent } from 'mongodb'
import t, { type Test } from 'tap'
import { buildApp } from '../../../src/app.ts'
import { signedInUser } from '../../../src/plugins/app/authentication.ts'
import { keyId } from '../../../src/plugins/external/jwt.ts'
import { signUp, withClaims } from '../../accounts.ts'
import { buildTestApp, json, testConfig, type TestApp } from '../../helper.ts'

const SECRET = 'a test secret that is at least thirty-two bytes long'
const KID = keyId(Buffer.from(SECRET))

function part (value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** A JWT put together by hand, as an attacker would: any header, any claims, any key. */
function forge (header: object, claims: object, sign: (input: string) => string = input => createHmac('sha256', SECRET).update(input).digest('base64url')): string {
  const input = `${part(header)}.${part(claims)}`
  return `${input}.${sign(input)}`
}

const now = () => Math.floor(Date.now() / 1000)

/** The app with probe routes behind each preHandler, answering who the caller is. */
async function appWithProbes (t: Test): Promise<TestApp> {
  const app = await buildTestApp(t, { JWT_SECRET: SECRET })
  const whoAmI = async (request: Parameters<typeof signedInUser>[0]) => ({ user: signedInUser(request) ?? null })
  app.get('/probe/required', { preHandler: app.authenticate }, whoAmI)
  app.get('/probe/optional', { preHandler: app.authenticateOptional }, whoAmI)
  app.get('/probe/admin', { preHandler: [app.authenticate, app.isAdmin] }, whoAmI)
  // As the list routes read: the page with the token's user id, while that user is checked.
  app.get('/probe/viewer', async (request, reply) => {
    const viewer = await app.readAsViewer(request, reply, async viewer => viewer?.toHexString() ?? null)
    return { user: signedInUser(request) ?? null, viewer }
  })
  app.get('/probe/viewer-read-fails', async (request, reply) => app.readAsViewer(request, reply, async () => {
    // Checked before the read, `request.user` would be set by now; beside it, the user's read is still on its way.
    throw Object.assign(new Error('the read failed'), { statusCode: signedInUser(request) === undefined ? 409 : 412 })
  }))
  return app
}

function probe (app: TestApp, path: string, authorization?: string) {
  return app.inject({ url: `/probe/${path}`, headers: authorization === undefined ? {} : { authorization } })
}

t.test('a valid token names its user on required and optional routes', async t => {
  const app = await appWithProbes(t)
  const user = await signUp(app)
  for (const path of ['required', 'optional']) {
    const answer = await probe(app, path, `Bearer ${user.accessToken}`)
    t.equal(answer.statusCode, 200, path)
    t.same(json(answer), { user: { id: user.id, roles: ['user'] } }, path)
  }
  t.equal((await probe(app, 'required', `bearer  ${user.accessToken}`)).statusCode, 200, 'the scheme is case-insensitive (RFC 7235)')
})

t.test('no token: a 401 with WWW-Authenticate: Bearer where one is required, anonymous where it is optional', async t => {
  const app = await appWithProbes(t)
  const required = await probe(app, 'required')
  t.equal(required.statusCode, 401)
  t.equal(required.headers['www-authenticate'], 'Bearer')
  t.equal(required.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(json(required), { status: 401, code: 'UNAUTHORIZED', detail: /needs a bearer token/ })
  const optional = await probe(app, 'optional')
  t.equal(optional.statusCode, 200)
  t.same(json(optional), { user: null }, 'anonymous')
  t.equal((await probe(app, 'admin')).statusCode, 401, 'an admin route without a token is a 401, not a 403')
})

t.test('every kind of bad token is the same 401 with error="invalid_token", on required and optional routes alike', async t => {
  const app = await appWithProbes(t)
  const user = await signUp(app)
  const claims = { sub: user.id, session_version: 0, iat: now(), exp: now() + 600 }
  const hs256 = { alg: 'HS256', typ: 'JWT', kid: KID }
  const [, payload, signature] = user.accessToken.split('.') as [string, string, string]
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const cases: Record<string, string> = {
    'alg none, no signature': `Bearer ${part({ alg: 'none', typ: 'JWT', kid: KID })}.${part(claims)}.`,
    'alg none, with the real signature': `Bearer ${part({ alg: 'none', typ: 'JWT', kid: KID })}.${payload}.${signature}`,
    'HS512 with the right secret': `Bearer ${forge({ ...hs256, alg: 'HS512' }, claims, input => createHmac('sha512', SECRET).update(input).digest('base64url'))}`,
    'RS256 signed with some RSA key': `Bearer ${forge({ ...hs256, alg: 'RS256' }, claims, input => createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url'))}`,
    'HS256 with another secret': `Bearer ${forge(hs256, claims, input => createHmac('sha256', 'another secret of at least thirty-two bytes!!').update(input).digest('base64url'))}`,
    'a forged sub (another user) under the real signature': `Bearer ${withClaims(user.accessToken, { sub: new ObjectId().toHexString() })}`,
    'a forged session version under the real signature': `Bearer ${withClaims(user.accessToken, { session_version: 1 })}`,
    expired: `Bearer ${forge(hs256, { ...claims, iat: now() - 1000, exp: now() - 100 })}`,
    'a user that never existed, correctly signed': `Bearer ${forge(hs256, { ...claims, sub: new ObjectId().toHexString() })}`,
    'a sub that is not an ObjectId, correctly signed': `Bearer ${forge(hs256, { ...claims, sub: { $ne: null } })}`,
    'no session version, correctly signed': `Bearer ${forge(hs256, { sub: user.id, iat: now(), exp: now() + 600 })}`,
    'a session version that is not a number, correctly signed': `Bearer ${forge(hs256, { ...claims, session_version: '0' })}`,
    'a session version the user does not have, correctly signed': `Bearer ${forge(hs256, { ...claims, session_version: 1 })}`,
    'no kid, correctly signed': `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, claims)}`,
    'a kid of no configured secret, correctly signed': `Bearer ${forge({ ...hs256, kid: keyId(Buffer.from('another secret of at least thirty-two bytes!!')) }, claims)}`,
    'a truncated token': `Bearer ${user.accessToken.slice(0, -5)}`,
    'Bearer without a token': 'Bearer',
    'Bearer and spaces': 'Bearer    ',
    'garbage after Bearer': 'Bearer not-a-jwt',
    'JSON after Bearer': `Bearer ${JSON.stringify(claims)}`,
    'two tokens': `Bearer ${user.accessToken} ${user.accessToken}`,
    'an oversized token': `Bearer ${user.accessToken}${'A'.repeat(8000)}`
  }
  for (const [name, authorization] of Object.entries(cases)) {
    for (const path of ['required', 'optional', 'admin', 'viewer']) {
      const answer = await probe(app, path, authorization)
      t.equal(answer.statusCode, 401, `${name} (${path})`)
      t.equal(answer.headers['www-authenticate'], 'Bearer error="invalid_token"', `${name} (${path})`)
      t.match(json(answer), { status: 401, code: 'UNAUTHORIZED' }, `${name} (${path})`)
    }
  }
})

t.test('another scheme carries no bearer credentials: a 401 without an error code, even where a token is optional', async t => {
  const app = await appWithProbes(t)
  for (const authorization of ['Basic YWxpY2U6c2VjcmV0', 'garbage', '']) {
    for (const path of ['required', 'optional', 'viewer']) {
      const answer = await probe(app, path, authorization)
      t.equal(answer.statusCode, 401, `${JSON.stringify(authorization)} (${path})`)
      t.equal(answer.headers['www-authenticate'], 'Bearer')
    }
  }
})

t.test('the token of a deleted user is refused at once, before it expires', async t => {
  const app = await appWithProbes(t)
  const user = await signUp(app)
  t.equal((await probe(app, 'required', `Bearer ${user.accessToken}`)).statusCode, 200)
  await app.database.collections.users.deleteOne({ _id: new ObjectId(user.id) })
  for (const path of ['required', 'viewer']) {
    const answer = await probe(app, path, `Bearer ${user.accessToken}`)
    t.equal(answer.statusCode, 401, path)
    t.equal(answer.headers['www-authenticate'], 'Bearer error="invalid_token"', path)
  }
})

t.test('readAsViewer: the read runs with the token\'s user id while the user is checked; the check decides the answer', async t => {
  const app = await appWithProbes(t)
  const user = await signUp(app)
  const signedIn = json(await probe(app, 'viewer', `Bearer ${user.accessToken}`))
  t.same(signedIn, { user: { id: user.id, roles: ['user'] }, viewer: user.id }, 'after the answer, the caller is known as with authenticate')
  t.same(json(await probe(app, 'viewer')), { user: null, viewer: null }, 'anonymous: no viewer, no check')

  const readFailed = await probe(app, 'viewer-read-fails', `Bearer ${user.accessToken}`)
  t.equal(readFailed.statusCode, 409, 'an accepted caller gets the read\'s own error, of a read started before the check had answered (412 after)')

  await app.database.collections.users.updateOne({ _id: new ObjectId(user.id) }, { $inc: { session_version: 1 } })
  const refused = await probe(app, 'viewer-read-fails', `Bearer ${user.accessToken}`)
  t.equal(refused.statusCode, 401, 'a refused token is the answer even when the read failed too')
  t.equal(refused.headers['www-authenticate'], 'Bearer error="invalid_token"')
  t.equal((await probe(app, 'viewer', `Bearer ${user.accessToken}`)).statusCode, 401, 'and when the read succeeded')
})

t.test('a disabled user\'s token is refused at once; the same token works again once the account is enabled', async t => {
  const app = await appWithProbes(t)
  const user = await signUp(app)
  const users = app.database.collections.users
  await users.updateOne({ _id: new ObjectId(user.id) }, { $set: { disabled: true } })
  for (const path of ['required', 'optional', 'viewer']) {
    const answer = await probe(app, path, `Bearer ${user.accessToken}`)
    t.equal(answer.statusCode, 401, path)
    t.equal(answer.headers['www-authenticate'], 'Bearer error="invalid_token"', path)
  }
  // Disabling through the admin route also raises the session version; this shows `disabled` alone decides.
  await users.updateOne({ _id: new ObjectId(user.id) }, { $set: { disabled: false } })
  t.equal((await probe(app, 'required', `Bearer ${user.accessToken}`)).statusCode, 200)
})

t.test('raising the session version refuses every access token issued before, with no other write', async t => {
  const app = await appWithProbes(t)
  const user = await signUp(app)
  const second = await signUp(app, { username: 'second-device' })
  const secondDevice = json(await app.inject({ method: 'POST', url: '/auth/token', payload: { username: 'second-device', password: second.password } })).access_token as string
  await app.database.collections.users.updateOne({ _id: new ObjectId(second.id) }, { $inc: { session_version: 1 } })
  t.equal((await probe(app, 'required', `Bearer ${second.accessToken}`)).statusCode, 401, 'the first sign-in\'s token')
  t.equal((await probe(app, 'required', `Bearer ${secondDevice}`)).statusCode, 401, 'the second sign-in\'s token')
  t.equal((await probe(app, 'required', `Bearer ${user.accessToken}`)).statusCode, 200, 'another user is not affected')
  const signedInAgain = json(await app.inject({ method: 'POST', url: '/auth/token', payload: { username: 'second-device', password: second.password } })).access_token as string
  t.equal((await probe(app, 'required', `Bearer ${signedInAgain}`)).statusCode, 200, 'a token of the new version works')
})

t.test('roles are the user\'s, read at every request: a role change applies to the next request with the same token', async t => {
  const app = await appWithProbes(t)
  const user = await signUp(app)
  const users = app.database.collections.users
  t.equal((await probe(app, 'admin', `Bearer ${user.accessToken}`)).statusCode, 403)
  await users.updateOne({ _id: new ObjectId(user.id) }, { $set: { roles: ['user', 'admin'] } })
  const promoted = await probe(app, 'admin', `Bearer ${user.accessToken}`)
  t.equal(promoted.statusCode, 200, 'promoted: admin at once')
  t.same(json(promoted), { user: { id: user.id, roles: ['user', 'admin'] } })
  await users.updateOne({ _id: new ObjectId(user.id) }, { $set: { roles: ['user'] } })
  t.equal((await probe(app, 'admin', `Bearer ${user.accessToken}`)).statusCode, 403, 'demoted: no longer admin at once')
  const signedWithRoles = app.jwt.sign({ sub: user.id, session_version: 0, roles: ['user', 'admin'] } as never)
  t.equal((await probe(app, 'admin', `Bearer ${signedWithRoles}`)).statusCode, 403, 'a roles claim, even signed, is not looked at')
})

t.test('an authenticated request costs one read: the user by _id, projected to roles, disabled and session_version', async t => {
  const app = await appWithProbes(t)
  const user = await signUp(app)
  const sent: CommandStartedEvent[] = []
  const listener = (event: CommandStartedEvent) => { if (event.databaseName === app.database.db.databaseName) sent.push(event) }
  app.mongo.client.on('commandStarted', listener)
  t.teardown(() => app.mongo.client.off('commandStarted', listener))
  t.equal((await probe(app, 'admin', `Bearer ${user.accessToken}`)).statusCode, 403)
  t.same(sent.map(event => [event.commandName, event.command.find, event.command.filter, event.command.projection]),
    [['find', 'users', { _id: new ObjectId(user.id) }, { _id: 0, roles: 1, disabled: 1, session_version: 1 }]])
})

t.test('isAdmin: 403 FORBIDDEN for a user token, through for an admin token', async t => {
  const app = await appWithProbes(t)
  const user = await signUp(app)
  const admin = await signUp(app, { admin: true })
  const refused = await probe(app, 'admin', `Bearer ${user.accessToken}`)
  t.equal(refused.statusCode, 403)
  t.match(json(refused), { status: 403, code: 'FORBIDDEN' })
  const allowed = await probe(app, 'admin', `Bearer ${admin.accessToken}`)
  t.equal(allowed.statusCode, 200)
  t.same(json(allowed), { user: { id: admin.id, roles: ['user', 'admin'] } })
})

t.test('a token signed by another instance with the same JWT_SECRET is accepted; with another secret it is not', async t => {
  const app = await appWithProbes(t)
  const user = await signUp(app)
  const sameSecret = await buildTestApp(t, { JWT_SECRET: SECRET })
  const token = sameSecret.jwt.sign({ sub: user.id, session_version: 0 })
  t.equal((await probe(app, 'required', `Bearer ${token}`)).statusCode, 200)
  const randomSecret = await buildTestApp(t)
  t.equal((await probe(app, 'required', `Bearer ${randomSecret.jwt.sign({ sub: user.id, session_version: 0 })}`)).statusCode, 401)
})

t.test('after a rotation, a token signed with the previous secret authenticates until it expires', async t => {
  const previous = 'the previous secret: also thirty-two bytes or more'
  const app = await buildTestApp(t, { JWT_SECRET: SECRET, JWT_PREVIOUS_SECRETS: previous })
  app.get('/probe/required', { preHandler: app.authenticate }, async request => ({ user: signedInUser(request) }))
  const user = await signUp(app)
  // The instance that signed before the rotation; it needs no database to sign.
  const before = await buildApp(testConfig({ JWT_SECRET: previous }), {}, { database: false })
  t.teardown(() => before.close())
  t.equal((await probe(app, 'required', `Bearer ${before.jwt.sign({ sub: user.id, session_version: 0 })}`)).statusCode, 200)
  const expired = forge({ alg: 'HS256', typ: 'JWT', kid: keyId(Buffer.from(previous)) }, { sub: user.id, session_version: 0, iat: now() - 1000, exp: now() - 100 },
    input => createHmac('sha256', previous).update(input).digest('base64url'))
  t.equal((await probe(app, 'required', `Bearer ${expired}`)).statusCode, 401, 'expired')
})
