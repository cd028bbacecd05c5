import t from 'tap'
import { buildApp } from '../../../src/app.ts'
import { bearer, signIn } from '../../accounts.ts'
import { buildTestApp, json, testConfig, testDatabase } from '../../helper.ts'
import { freePort, startServer } from '../../run-script.ts'

t.test('ADMIN_USERNAME + ADMIN_PASSWORD create that admin at start, once', async t => {
  const app = await buildTestApp(t, { ADMIN_USERNAME: 'Boss', ADMIN_PASSWORD: 'the boss password' })
  await app.ready()
  const signedIn = await signIn(app, 'boss', 'the boss password')
  t.equal(signedIn.statusCode, 200)
  const me = json(await app.inject({ url: '/users/me', headers: bearer(json(signedIn).access_token) }))
  t.match(me, { username: 'boss', roles: ['user', 'admin'] })
  t.equal(await app.database.collections.users.countDocuments(), 1)
})

t.test('an existing account of that name is left as it is: the environment cannot take it over', async t => {
  const { url, collections } = await testDatabase(t)
  const first = await buildApp(testConfig({ MONGODB_URL: url }))
  t.teardown(() => first.close())
  t.equal((await first.inject({ method: 'POST', url: '/users', payload: { username: 'boss', password: 'the real password' } })).statusCode, 201)
  const second = await buildApp(testConfig({ MONGODB_URL: url, ADMIN_USERNAME: 'boss', ADMIN_PASSWORD: 'an attacker password' }))
  t.teardown(() => second.close())
  await second.ready()
  t.match(await collections.users.findOne({ username: 'boss' }), { roles: ['user'] })
  t.equal((await signIn(second, 'boss', 'an attacker password')).statusCode, 401)
})

t.test('a bad admin name or password, or only one of the two, stops the server with a message', async t => {
  const { url } = await testDatabase(t)
  const cases: [Record<string, string>, RegExp][] = [
    [{ ADMIN_USERNAME: 'boss', ADMIN_PASSWORD: 'short' }, /ADMIN_USERNAME\/ADMIN_PASSWORD: The password must be 12–128 characters/],
    [{ ADMIN_USERNAME: 'x', ADMIN_PASSWORD: 'the boss password' }, /ADMIN_USERNAME\/ADMIN_PASSWORD: The username must be/],
    [{ ADMIN_USERNAME: 'boss' }, /ADMIN_USERNAME and ADMIN_PASSWORD go together/]
  ]
  for (const [env, message] of cases) {
    const server = await startServer({ MONGODB_URL: url, PORT: String(await freePort()), ...env })
    t.teardown(() => server.child.kill())
    t.not(await server.exited, 0, Object.keys(env).join(' '))
    t.match(server.output(), message)
    t.notMatch(server.output(), /the boss password/, 'the password is not echoed')
  }
})
