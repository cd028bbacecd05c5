import t from 'tap'
import { cachedRoutes, edgeMaxTtlSeconds } from '../../infra/design.ts'
import { buildTestApp, json } from '../helper.ts'

// CloudFront keeps what the origin's Cache-Control says; the design's per-route max-age must be what the API sends.

t.test('each route the edge caches answers with the max-age the design counts on; the rating write is no-store', async t => {
  const app = await buildTestApp(t)
  const songId = json<{ items: Array<{ id: string }> }>(await app.inject('/songs?limit=1')).items[0]!.id
  const requests: Record<string, string> = {
    'GET /songs': '/songs?limit=2',
    'GET /songs/search': '/songs/search?message=alabama',
    'GET /songs/avg/difficulty': '/songs/avg/difficulty?level=13',
    'GET /songs/avg/rating/:song_id': `/songs/avg/rating/${songId}`
  }
  for (const route of cachedRoutes) {
    const response = await app.inject(requests[route.route]!)
    t.equal(response.statusCode, 200, route.route)
    t.equal(response.headers['cache-control'], `public, max-age=${route.originMaxAge}`, `${route.route} sends max-age=${route.originMaxAge}`)
    t.ok(route.originMaxAge <= edgeMaxTtlSeconds, 'within the edge ceiling')
  }
  const rating = await app.inject({ method: 'POST', url: '/songs/rating', payload: { song_id: songId, rating: 5 } })
  t.equal(rating.statusCode, 201)
  t.equal(rating.headers['cache-control'], 'no-store')
})
