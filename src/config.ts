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
  EMBEDDED_MONGODB_DIR: Type.String({ minLength: 1, default: '.data/mongodb' })
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
    embeddedMongoDBDir: values.EMBEDDED_MONGODB_DIR
  }
}
