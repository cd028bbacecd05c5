import t from 'tap'
import { signUp } from '../../accounts.ts'
import { buildTestApp, json } from '../../helper.ts'

t.test('GET /users pages through every account in username order; username is a case-insensitive prefix', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true, username: 'root' })
  for (const name of ['alice', 'Alfred', 'ali', 'bob', 'alicia', 'carol']) await signUp(app, { username: name })
  const pages = async (query: string) => {
    const names: string[] = []
    let cursor: string | null = null
    let count = 0
    do {
      const page: { statusCode: number, body: string } = await app.inject({ url: `/users?limit=2${query}${cursor ? `&cursor=${cursor}` : ''}`, headers: admin.authorization })
      t.equal(page.statusCode, 200, page.body)
      const body = json<{ items: { username: string }[], next_cursor: string | null }>(page)
      names.push(...body.items.map(user => user.username))
      for (const user of body.items) t.same(Object.keys(user).sort(), ['created_at', 'disabled', 'id', 'roles', 'username'])
      cursor = body.next_cursor
      count++
    } while (cursor && count < 10)
    return names
  }
  t.same(await pages(''), ['alfred', 'ali', 'alice', 'alicia', 'bob', 'carol', 'root'], 'everyone once, in name order')
  t.same(await pages('&username=AL'), ['alfred', 'ali', 'alice', 'alicia'], 'the prefix in any case')
  t.same(await pages('&username=alic'), ['alice', 'alicia'])
  t.same(await pages('&username=zed'), [], 'no match: an empty page')
  const first = json(await app.inject({ url: '/users?limit=1', headers: admin.authorization }))
  t.match(first.items[0], { username: 'alfred', roles: ['user'], disabled: false })
  t.equal((await app.inject({ url: '/users', headers: admin.authorization })).headers['cache-control'], 'private, no-cache')
})

t.test('GET /users problems: 401 without a token, 403 for a user, 400 for bad parameters', async t => {
  const app = await buildTestApp(t)
  const admin = await signUp(app, { admin: true })
  const user = await signUp(app)
  t.match(json(await app.inject('/users')), { status: 401, code: 'UNAUTHORIZED' })
  t.match(json(await app.inject({ url: '/users', headers: user.authorization })), { status: 403, code: 'FORBIDDEN' })
  for (const query of ['limit=0', 'limit=101', 'username=a%20b', 'username=a*', `username=${'a'.repeat(33)}`, 'cursor=***', 'cursor=a', 'role=admin']) {
    const answer = await app.inject({ url: `/users?${query}`, headers: admin.authorization })
    t.equal(answer.statusCode, 400, query)
    t.match(json(answer), { code: 'VALIDATION_FAILED' }, query)
  }
})
