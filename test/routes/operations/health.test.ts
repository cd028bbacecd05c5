import t from 'tap'
import { buildTestApp, json } from '../../helper.ts'

t.test('GET /health answers 200 JSON while the process runs, and is never rate limited', async t => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '1' })
  for (let probe = 0; probe < 5; probe++) {
    const response = await app.inject('/health')
    t.equal(response.statusCode, 200, `probe ${probe}`)
    t.equal(response.headers['content-type'], 'application/json; charset=utf-8')
    t.same(json(response), { status: 'ok' })
  }
  t.equal((await app.inject('/songs/avg/difficulty')).statusCode, 200)
  t.equal((await app.inject('/songs/avg/difficulty')).statusCode, 429, 'the API routes are still limited')
})

t.test('/health and /ready are in the OpenAPI document under the operations tag', async t => {
  const app = await buildTestApp(t)
  const spec = json(await app.inject('/openapi.json'))
  t.match(spec.paths['/health'].get, { operationId: 'getHealth', tags: ['operations'], summary: String, description: String })
  t.match(spec.paths['/ready'].get, { operationId: 'getReadiness', tags: ['operations'], summary: String, description: String })
  t.same(spec.paths['/health'].get.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/Health' })
  t.same(spec.paths['/ready'].get.responses['503'].content['application/problem+json'].schema, { $ref: '#/components/schemas/Problem' })
  t.ok(spec.tags.some((tag: { name: string }) => tag.name === 'operations'))
})
