import t from 'tap'
import { databaseNameOf, loadConfig } from '../src/config.ts'

t.test('defaults give a local server on port 3000 and the songs database', async t => {
  const config = loadConfig({})
  t.equal(config.mongodbUrl, 'mongodb://127.0.0.1:27017/songs')
  t.equal(config.databaseName, 'songs')
  t.equal(config.port, 3000)
  t.equal(config.rateLimitMax, 100)
  t.equal(config.rateLimitWindowMs, 60000)
  t.equal(config.mongodbTimeoutMs, 2000)
  t.equal(config.maxEventLoopDelayMs, 1000)
})

t.test('values come from the environment, numbers parsed', async t => {
  const config = loadConfig({ PORT: '8080', RATE_LIMIT_MAX: '7', MONGODB_URL: 'mongodb://db:27017/catalog?retryWrites=true', LOG_LEVEL: 'warn' })
  t.equal(config.port, 8080)
  t.equal(config.rateLimitMax, 7)
  t.equal(config.databaseName, 'catalog')
  t.equal(config.logLevel, 'warn')
})

t.test('a bad value stops the start with a message naming it', async t => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be integer/)
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT must be <= 65535/)
  t.throws(() => loadConfig({ RATE_LIMIT_MAX: '0' }), /RATE_LIMIT_MAX must be >= 1/)
  t.throws(() => loadConfig({ MONGODB_URL: 'postgres://x' }), /MONGODB_URL must match pattern/)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/)
  t.throws(() => loadConfig({ MONGODB_TIMEOUT_MS: '0' }), /MONGODB_TIMEOUT_MS must be >= 1/)
  t.throws(() => loadConfig({ MAX_EVENT_LOOP_DELAY_MS: 'soon' }), /MAX_EVENT_LOOP_DELAY_MS must be integer/)
})

t.test('databaseNameOf reads the path of plain and SRV URLs', async t => {
  t.equal(databaseNameOf('mongodb://a:1,b:2/music?replicaSet=rs0'), 'music')
  t.equal(databaseNameOf('mongodb+srv://user:pw@cluster.example.net/prod'), 'prod')
  t.equal(databaseNameOf('mongodb://localhost:27017'), 'songs')
  t.equal(databaseNameOf('mongodb://localhost:27017/?tls=true'), 'songs')
})

t.test('without MONGODB_URL the local port is used, and the embedded database has a data directory', async t => {
  const defaults = loadConfig({})
  t.equal(defaults.mongodbUrlSet, false)
  t.equal(defaults.localMongoDBPort, 27017)
  t.equal(defaults.embeddedMongoDBDir, '.data/mongodb')
  const local = loadConfig({ LOCAL_MONGODB_PORT: '27018', EMBEDDED_MONGODB_DIR: '/var/lib/songs' })
  t.equal(local.mongodbUrl, 'mongodb://127.0.0.1:27018/songs')
  t.equal(local.embeddedMongoDBDir, '/var/lib/songs')
  const configured = loadConfig({ MONGODB_URL: 'mongodb://db:27017/catalog', LOCAL_MONGODB_PORT: '27018' })
  t.equal(configured.mongodbUrl, 'mongodb://db:27017/catalog', 'MONGODB_URL wins over the local port')
  t.equal(configured.mongodbUrlSet, true)
  t.throws(() => loadConfig({ LOCAL_MONGODB_PORT: '0' }), /LOCAL_MONGODB_PORT must be >= 1/)
  t.throws(() => loadConfig({ EMBEDDED_MONGODB_DIR: '' }), /EMBEDDED_MONGODB_DIR must NOT have fewer than 1 characters/)
})

t.test('RATINGS_REQUIRE_SIGN_IN is off unless set to true', async t => {
  t.equal(loadConfig({}).ratingsRequireSignIn, false)
  t.equal(loadConfig({ RATINGS_REQUIRE_SIGN_IN: 'true' }).ratingsRequireSignIn, true)
  t.equal(loadConfig({ RATINGS_REQUIRE_SIGN_IN: 'false' }).ratingsRequireSignIn, false)
  t.throws(() => loadConfig({ RATINGS_REQUIRE_SIGN_IN: 'maybe' }), /RATINGS_REQUIRE_SIGN_IN must be boolean/)
})

t.test('JWT_SECRET: at least 32 bytes; required in production; random per start otherwise', async t => {
  const set = loadConfig({ JWT_SECRET: 'é'.repeat(16) })
  t.equal(set.jwtSecret.length, 32, 'bytes are counted, not characters (16 × 2-byte é)')
  t.equal(set.jwtSecretGenerated, false)
  t.throws(() => loadConfig({ JWT_SECRET: 'x'.repeat(31) }), /JWT_SECRET must be at least 32 bytes/)
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), /JWT_SECRET is required when NODE_ENV=production/)
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'y'.repeat(32) }).nodeEnv, 'production')
  const [one, two] = [loadConfig({}), loadConfig({})]
  t.ok(one.jwtSecretGenerated && one.jwtSecret.length === 32)
  t.not(one.jwtSecret.toString('hex'), two.jwtSecret.toString('hex'), 'a new random secret each start')
})

t.test('JWT_PREVIOUS_SECRETS: none by default; comma-separated, each at least 32 bytes, never echoed in the error', async t => {
  t.same(loadConfig({}).jwtPreviousSecrets, [])
  t.same(loadConfig({ JWT_PREVIOUS_SECRETS: ' ' }).jwtPreviousSecrets, [])
  const [older, oldest] = ['o'.repeat(32), 'p'.repeat(40)]
  t.same(loadConfig({ JWT_PREVIOUS_SECRETS: `${older}, ${oldest}` }).jwtPreviousSecrets.map(secret => secret.toString()), [older, oldest], 'in order, spaces trimmed')
  const short = 'short-secret-of-31-bytes-xxxxxx'
  t.throws(() => loadConfig({ JWT_PREVIOUS_SECRETS: `${older},${short}` }), { message: /^JWT_PREVIOUS_SECRETS entry 2 must be at least 32 bytes$/ })
  t.throws(() => loadConfig({ JWT_PREVIOUS_SECRETS: `${older},` }), /JWT_PREVIOUS_SECRETS entry 2 must be at least 32 bytes/, 'an empty entry is refused, not skipped')
})

t.test('token lifetimes and the sign-in limit have defaults and are read from the environment', async t => {
  const defaults = loadConfig({})
  t.equal(defaults.accessTokenTtlSeconds, 900)
  t.equal(defaults.refreshTokenTtlSeconds, 30 * 86_400)
  t.equal(defaults.signInMaxFailures, 10)
  t.equal(defaults.signInWindowSeconds, 900)
  t.equal(defaults.admin, undefined)
  const set = loadConfig({ ACCESS_TOKEN_TTL_SECONDS: '60', REFRESH_TOKEN_TTL_SECONDS: '3600', ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'a long password' })
  t.equal(set.accessTokenTtlSeconds, 60)
  t.equal(set.refreshTokenTtlSeconds, 3600)
  t.same(set.admin, { username: 'root', password: 'a long password' })
  t.throws(() => loadConfig({ ACCESS_TOKEN_TTL_SECONDS: '0' }), /ACCESS_TOKEN_TTL_SECONDS must be >= 1/)
  t.throws(() => loadConfig({ ADMIN_PASSWORD: 'a long password' }), /go together/)
})
