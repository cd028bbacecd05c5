import { randomBytes } from 'node:crypto'
import { envSchema } from 'env-schema'
import { Type, type Static } from 'typebox'

const EnvSchema = Type.Object({
  MONGODB_URL: Type.Optional(Type.String({ pattern: '^mongodb(\\+srv)?://' })),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map(level => Type.Literal(level)), { default: 'info' }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 100 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1, default: 60_000 }),
  SEED_FILE: Type.String({ minLength: 1, default: 'seed/songs.json' }),
  MONGODB_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 2000 }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 1, default: 1000 }),
  IDEMPOTENCY_TTL_SECONDS: Type.Integer({ minimum: 1, default: 86_400 }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  CORS_ORIGINS: Type.String({ default: '' }),
  // Without MONGODB_URL: the port of a local MongoDB, where `npm start` starts an embedded one if none answers.
  LOCAL_MONGODB_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 27017 }),
  EMBEDDED_MONGODB_DIR: Type.String({ minLength: 1, default: '.data/mongodb' }),
  NODE_ENV: Type.String({ default: 'development' }),
  JWT_SECRET: Type.Optional(Type.String()),
  JWT_PREVIOUS_SECRETS: Type.String({ default: '' }),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 1, default: 900 }),
  REFRESH_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 1, default: 30 * 86_400 }),
  ADMIN_USERNAME: Type.Optional(Type.String({ minLength: 1 })),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
  SIGN_IN_MAX_FAILURES: Type.Integer({ minimum: 1, default: 10 }),
  SIGN_IN_WINDOW_SECONDS: Type.Integer({ minimum: 1, default: 900 }),
  // Catalog
  RATINGS_REQUIRE_SIGN_IN: Type.Boolean({ default: false })
})

export type Env = Static<typeof EnvSchema>

export interface Config {
  /** `MONGODB_URL`, else the local MongoDB on `LOCAL_MONGODB_PORT`. */
  mongodbUrl: string
  /** Whether `MONGODB_URL` was given: then `npm start` never starts an embedded database. */
  mongodbUrlSet: boolean
  databaseName: string
  port: number
  host: string
  logLevel: string
  rateLimitMax: number
  rateLimitWindowMs: number
  seedFile: string
  mongodbTimeoutMs: number
  maxEventLoopDelayMs: number
  idempotencyTtlSeconds: number
  /** Shared rate-limit counters; in-memory per instance when unset. */
  redisUrl: string | undefined
  /** Origins allowed cross-origin access; none when empty. */
  corsOrigins: string[]
  localMongoDBPort: number
  /** The embedded development database's data, kept between starts. */
  embeddedMongoDBDir: string
  nodeEnv: string
  /** Signs and verifies access tokens (HS256). */
  jwtSecret: Buffer
  /** No `JWT_SECRET` was set: the secret is random for this process, so its tokens die with it. */
  jwtSecretGenerated: boolean
  /** Secrets rotated out (`JWT_PREVIOUS_SECRETS`): they still verify access tokens until those expire, and sign none. */
  jwtPreviousSecrets: Buffer[]
  accessTokenTtlSeconds: number
  refreshTokenTtlSeconds: number
  /** An admin created at start when it does not exist yet (both set, or neither). */
  admin: { username: string, password: string } | undefined
  /** Failed sign-ins allowed per username and per client IP within the window, before 429s. */
  signInMaxFailures: number
  signInWindowSeconds: number
  /** `POST /songs/rating` without a bearer token is a 401 instead of an anonymous rating. */
  ratingsRequireSignIn: boolean
}

/** HS256 needs a key at least as long as its 256-bit output (RFC 7518 §3.2). */
export const MIN_JWT_SECRET_BYTES = 32

function secretOf (name: string, secret: string): Buffer {
  const bytes = Buffer.from(secret, 'utf8')
  if (bytes.length < MIN_JWT_SECRET_BYTES) throw new Error(`${name} must be at least ${MIN_JWT_SECRET_BYTES} bytes`)
  return bytes
}

function jwtSecretOf ({ JWT_SECRET: secret, NODE_ENV: nodeEnv }: Env): { jwtSecret: Buffer, jwtSecretGenerated: boolean } {
  if (secret === undefined) {
    if (nodeEnv === 'production') throw new Error('JWT_SECRET is required when NODE_ENV=production')
    return { jwtSecret: randomBytes(MIN_JWT_SECRET_BYTES), jwtSecretGenerated: true }
  }
  return { jwtSecret: secretOf('JWT_SECRET', secret), jwtSecretGenerated: false }
}

/** Comma-separated (base64 and hex secrets contain no comma); spaces around each are not part of it. */
function previousSecretsOf ({ JWT_PREVIOUS_SECRETS: secrets }: Env): Buffer[] {
  if (secrets.trim() === '') return []
  return secrets.split(',').map((secret, index) => secretOf(`JWT_PREVIOUS_SECRETS entry ${index + 1}`, secret.trim()))
}

function adminOf ({ ADMIN_USERNAME: username, ADMIN_PASSWORD: password }: Env): Config['admin'] {
  if (username === undefined && password === undefined) return undefined
  if (username === undefined || password === undefined) throw new Error('ADMIN_USERNAME and ADMIN_PASSWORD go together: set both or neither')
  return { username, password }
}

/** The URL with any user name and password replaced, for messages and logs. */
export function withoutCredentials (mongodbUrl: string): string {
  return mongodbUrl.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/?]*@/, '$1***@')
}

/** The database named in the URL's path, or `songs` when the URL names none. */
export function databaseNameOf (mongodbUrl: string): string {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(mongodbUrl)?.[1]
  return path ? decodeURIComponent(path) : 'songs'
}

/** Reads and validates the environment; throws one message naming every bad variable. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env): Config {
  const values = envSchema<Env>({ schema: EnvSchema, data: { ...env }, env: false, dotenv: false })
  const mongodbUrl = values.MONGODB_URL ?? `mongodb://127.0.0.1:${values.LOCAL_MONGODB_PORT}/songs`
  return {
    mongodbUrl,
    mongodbUrlSet: values.MONGODB_URL !== undefined,
    databaseName: databaseNameOf(mongodbUrl),
    port: values.PORT,
    host: values.HOST,
    logLevel: values.LOG_LEVEL,
    rateLimitMax: values.RATE_LIMIT_MAX,
    rateLimitWindowMs: values.RATE_LIMIT_WINDOW_MS,
    seedFile: values.SEED_FILE,
    mongodbTimeoutMs: values.MONGODB_TIMEOUT_MS,
    maxEventLoopDelayMs: values.MAX_EVENT_LOOP_DELAY_MS,
    idempotencyTtlSeconds: values.IDEMPOTENCY_TTL_SECONDS,
    redisUrl: values.REDIS_URL,
    corsOrigins: values.CORS_ORIGINS.split(',').map(origin => origin.trim()).filter(origin => origin.length > 0),
    localMongoDBPort: values.LOCAL_MONGODB_PORT,
    embeddedMongoDBDir: values.EMBEDDED_MONGODB_DIR,
    nodeEnv: values.NODE_ENV,
    ...jwtSecretOf(values),
    jwtPreviousSecrets: previousSecretsOf(values),
    accessTokenTtlSeconds: values.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: values.REFRESH_TOKEN_TTL_SECONDS,
    admin: adminOf(values),
    signInMaxFailures: values.SIGN_IN_MAX_FAILURES,
    signInWindowSeconds: values.SIGN_IN_WINDOW_SECONDS,
    ratingsRequireSignIn: values.RATINGS_REQUIRE_SIGN_IN
  }
}
