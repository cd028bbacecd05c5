import { createHmac, generateKeyPairSync, createSign } from 'node:crypto'
import { ObjectId } from 'mongodb'
import t, { type Test } from 'tap'
import { signedInUser } from '../../../src/plugins/app/authentication.ts'
import { signUp, withClaims } from '../../accounts.ts'
import { buildTestApp, json, type TestApp } from '../../helper.ts'

const SECRET = 'a test secret that is at least thirty-two bytes long'

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
  const claims = { sub: user.id, roles: ['user'], iat: now(), exp: now() + 600 }
  const [, payload, signature] = user.accessToken.split('.') as [string, string, string]
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const cases: Record<string, string> = {
    'alg none, no signature': `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`,
    'alg none, with the real signature': `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`,
    'HS512 with the right secret': `Bearer ${forge({ alg: 'HS512', typ: 'JWT' }, claims, input => createHmac('sha512', SECRET).update(input).digest('base64url'))}`,
    'RS256 signed with some RSA key': `Bearer ${forge({ alg: 'RS256', typ: 'JWT' }, claims, input => createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url'))}`,
    'HS256 with another secret': `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, claims, input => createHmac('sha256', 'another secret of at least thirty-two bytes!!').update(input).digest('base64url'))}`,
    'a forged sub (another user) under the real signature': `Bearer ${withClaims(user.accessToken, { sub: new ObjectId().toHexString() })}`,
    'a forged admin role under the real signature': `Bearer ${withClaims(user.accessToken, { roles: ['user', 'admin'] })}`,
    expired: `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now() - 1000, exp: now() - 100 })}`,
    'a user that never existed, correctly signed': `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: new ObjectId().toHexString() })}`,
    'a sub that is not an ObjectId, correctly signed': `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: { $ne: null } })}`,
    'roles that are not strings, correctly signed': `Bearer ${forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, roles: 'admin' })}`,
    'a truncated token': `Bearer ${user.accessToken.slice(0, -5)}`,
    'Bearer without a token': 'Bearer',
    'Bearer and spaces': 'Bearer    ',
    'garbage after Bearer': 'Bearer not-a-jwt',
    'JSON after Bearer': `Bearer ${JSON.stringify(claims)}`,
    'two tokens': `Bearer ${user.accessToken} ${user.accessToken}`,
    'an oversized token': `Bearer ${user.accessToken}${'A'.repeat(8000)}`
  }
  for (const [name, authorization] of Object.entries(cases)) {
    for (const path of ['required', 'optional', 'admin']) {
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
    for (const path of ['required', 'optional']) {
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
  const answer = await probe(app, 'required', `Bearer ${user.accessToken}`)
  t.equal(answer.statusCode, 401)
  t.equal(answer.headers['www-authenticate'], 'Bearer error="invalid_token"')
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
  const token = sameSecret.jwt.sign({ sub: user.id, roles: ['user'] })
  t.equal((await probe(app, 'required', `Bearer ${token}`)).statusCode, 200)
  const randomSecret = await buildTestApp(t)
  t.equal((await probe(app, 'required', `Bearer ${randomSecret.jwt.sign({ sub: user.id, roles: ['user'] })}`)).statusCode, 401)
})
