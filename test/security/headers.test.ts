import t from 'tap'
import { buildTestApp } from '../helper.ts'

t.test('answers carry security headers and nothing that names the framework', async t => {
  const app = await buildTestApp(t)
  for (const url of ['/songs?limit=1', '/no-such-route', '/docs/']) {
    const response = await app.inject(url)
    t.equal(response.headers['x-content-type-options'], 'nosniff', url)
    t.equal(response.headers['x-frame-options'], 'SAMEORIGIN', url)
    t.match(response.headers['content-security-policy'], /default-src 'self'/, url)
    t.match(response.headers['strict-transport-security'], /max-age=\d+/, url)
    t.notOk(response.headers['x-powered-by'], `${url}: no X-Powered-By`)
    t.notOk(response.headers.server, `${url}: no Server`)
  }
})

t.test('without CORS_ORIGINS, no origin gets cross-origin access', async t => {
  const app = await buildTestApp(t)
  const response = await app.inject({ url: '/songs', headers: { origin: 'https://evil.example' } })
  t.equal(response.statusCode, 200)
  t.notOk(response.headers['access-control-allow-origin'])
})

t.test('CORS_ORIGINS lets exactly the listed origins read answers and send Idempotency-Key and Authorization', async t => {
  const app = await buildTestApp(t, { CORS_ORIGINS: 'https://app.example, https://admin.example' })
  const allowed = await app.inject({ url: '/songs', headers: { origin: 'https://admin.example' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://admin.example')
  const other = await app.inject({ url: '/songs', headers: { origin: 'https://evil.example' } })
  t.notOk(other.headers['access-control-allow-origin'])
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/songs/rating',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' }
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], 'https://app.example')
  t.match(preflight.headers['access-control-allow-headers'], /Idempotency-Key/)
  const adminPreflight = await app.inject({
    method: 'OPTIONS',
    url: '/songs/0123456789abcdef01234567',
    headers: { origin: 'https://admin.example', 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, content-type' }
  })
  t.equal(adminPreflight.statusCode, 204)
  t.match(adminPreflight.headers['access-control-allow-methods'], /PATCH/)
  t.match(adminPreflight.headers['access-control-allow-headers'], /Authorization/)
  t.match(allowed.headers['access-control-expose-headers'], /Location/, 'a browser app can read where a created song is')
})
