import { ObjectId } from 'mongodb'
import t from 'tap'
import { buildTestApp, json } from '../../helper.ts'

const PASSWORD = 'correct horse battery staple'

function createUser (app: Awaited<ReturnType<typeof buildTestApp>>, payload: unknown) {
  return app.inject({ method: 'POST', url: '/users', payload: payload as object })
}

t.test('POST /users creates a user with the role user, stores only an argon2id hash, and never answers it', async t => {
  const app = await buildTestApp(t)
  const answer = await createUser(app, { username: 'Alice', password: PASSWORD })
  t.equal(answer.statusCode, 201)
  const user = json(answer)
  t.same(Object.keys(user).sort(), ['created_at', 'disabled', 'id', 'roles', 'username'])
  t.match(user, { id: /^[0-9a-f]{24}$/, username: 'alice', roles: ['user'] })
  t.ok(Math.abs(Date.parse(user.created_at) - Date.now()) < 60_000, 'created_at is now')
  t.notMatch(answer.body, /argon2|correct horse/)
  const stored = await app.database.collections.users.findOne({ _id: new ObjectId(user.id) })
  t.equal(stored?.username, 'alice', 'stored lower-case')
  t.match(stored?.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, 'argon2id with OWASP parameters')
  t.notMatch(JSON.stringify(stored), /correct horse/)
})

t.test('a taken username, in any case, is a 409 USERNAME_TAKEN; racing sign-ups of one name make one account', async t => {
  const app = await buildTestApp(t)
  t.equal((await createUser(app, { username: 'bob', password: PASSWORD })).statusCode, 201)
  for (const username of ['bob', 'BOB', 'Bob']) {
    const taken = await createUser(app, { username, password: `${PASSWORD}!` })
    t.equal(taken.statusCode, 409, username)
    t.match(json(taken), { status: 409, code: 'USERNAME_TAKEN', detail: /bob/ })
  }
  const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => createUser(app, { username: i % 2 ? 'Carol' : 'carol', password: PASSWORD })))
  t.same(racing.map(r => r.statusCode).sort(), [201, 409, 409, 409, 409, 409, 409, 409])
  t.equal(await app.database.collections.users.countDocuments({ username: 'carol' }), 1)
})

t.test('usernames: 3-32 of a-z 0-9 _ . -, starting with a letter or digit; passwords: 12-128 characters', async t => {
  const app = await buildTestApp(t)
  const good = ['abc', 'a'.repeat(32), '0day', 'a.b_c-d', 'MiXeD.Case']
  for (const username of good) t.equal((await createUser(app, { username, password: PASSWORD })).statusCode, 201, username)
  const bad: [unknown, RegExp][] = [
    [{ username: 'ab', password: PASSWORD }, /body\.username/],
    [{ username: 'a'.repeat(33), password: PASSWORD }, /body\.username/],
    [{ username: '_abc', password: PASSWORD }, /body\.username/],
    [{ username: '.abc', password: PASSWORD }, /body\.username/],
    [{ username: 'al ice', password: PASSWORD }, /body\.username/],
    [{ username: 'alicé', password: PASSWORD }, /body\.username/],
    [{ username: 'ａlice', password: PASSWORD }, /body\.username/],
    [{ username: { $ne: null }, password: PASSWORD }, /body\.username/],
    [{ username: 'dave', password: 'short' }, /body\.password/],
    [{ username: 'dave', password: 'x'.repeat(129) }, /body\.password/],
    [{ username: 'dave', password: 12345678901234 }, /body\.password/],
    [{ username: 'dave' }, /body\.password/],
    [{ username: 'dave', password: PASSWORD, roles: ['admin'] }, /body\.roles/]
  ]
  for (const [payload, field] of bad) {
    const answer = await createUser(app, payload)
    t.equal(answer.statusCode, 400, JSON.stringify(payload).slice(0, 80))
    t.match(json(answer), { code: 'VALIDATION_FAILED', detail: field })
  }
  t.equal(await app.database.collections.users.countDocuments(), good.length, 'nothing stored for a bad body')
})

t.test('password length counts characters, not bytes', async t => {
  const app = await buildTestApp(t)
  // 12 characters of 4 bytes each: 48 bytes, 12 characters (code points).
  t.equal((await createUser(app, { username: 'emoji', password: '🎸'.repeat(12) })).statusCode, 201)
  t.equal((await createUser(app, { username: 'emoji2', password: '🎸'.repeat(11) })).statusCode, 400, '11 characters are too few however many bytes')
  t.equal((await createUser(app, { username: 'emoji3', password: '🎸'.repeat(128) })).statusCode, 201, '128 characters (512 bytes) are allowed')
  const signIn = await app.inject({ method: 'POST', url: '/auth/token', payload: { username: 'emoji', password: '🎸'.repeat(12) } })
  t.equal(signIn.statusCode, 200, 'and sign in')
})

t.test('a user cannot give itself roles; the account starts as a plain user', async t => {
  const app = await buildTestApp(t)
  const answer = await createUser(app, { username: 'mallory', password: PASSWORD, roles: ['user', 'admin'] })
  t.equal(answer.statusCode, 400)
  t.equal(await app.database.collections.users.countDocuments(), 0)
})
