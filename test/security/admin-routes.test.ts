import t from 'tap'
import { signUp } from '../accounts.ts'
import { snapshot } from '../catalog-state.ts'
import { buildTestApp, json } from '../helper.ts'
import { firstSongId } from '../rate-song.ts'

const CATALOG = ['songs', 'levelStats', 'ratings', 'userRatings'] as const

t.test('every admin route: no token 401, a user\'s token 403, a bad token 401; none changes the catalog', async t => {
  const app = await buildTestApp(t)
  const user = await signUp(app)
  const songId = await firstSongId(app)
  const newSong = { artist: 'Intruder', title: 'Not Allowed', difficulty: 1, level: 1, released: '2020-01-01' }
  const routes = [
    { method: 'POST' as const, url: '/songs', payload: newSong },
    { method: 'PATCH' as const, url: `/songs/${songId}`, payload: { title: 'Hijacked' } },
    { method: 'DELETE' as const, url: `/songs/${songId}` }
  ]
  const before = await snapshot(app, CATALOG)
  for (const route of routes) {
    const name = `${route.method} ${route.url}`
    const anonymous = await app.inject(route)
    t.equal(anonymous.statusCode, 401, `${name} without a token`)
    t.equal(anonymous.headers['www-authenticate'], 'Bearer', name)
    t.match(json(anonymous), { code: 'UNAUTHORIZED' }, name)
    const forbidden = await app.inject({ ...route, headers: user.authorization })
    t.equal(forbidden.statusCode, 403, `${name} with a user's token`)
    t.match(json(forbidden), { code: 'FORBIDDEN' }, name)
    const bad = await app.inject({ ...route, headers: { authorization: `Bearer ${user.accessToken.slice(0, -2)}xx` } })
    t.equal(bad.statusCode, 401, `${name} with a tampered token`)
    t.match(bad.headers['www-authenticate'], /error="invalid_token"/, name)
  }
  t.equal(await snapshot(app, CATALOG), before, 'the catalog is byte for byte as before')
  const admin = await signUp(app, { admin: true })
  t.equal((await app.inject({ ...routes[0]!, headers: admin.authorization })).statusCode, 201, 'an admin\'s token passes')
})
