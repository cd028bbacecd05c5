/**
 * The numbers of the production design (docs/architecture.md, sections 3 and 4), in one place: the CDK stack,
 * the Prometheus rules' test and the document's test all read them, so a change here shows up everywhere or fails
 * a test.
 */

/** ECS service auto scaling (section 3.4). */
export const scaling = {
  cpuTargetPercent: 50,
  /** ALBRequestCountPerTarget is a per-minute sum: 400 req/s per task, 80 % of the planning figure. */
  requestsPerTargetPerMinute: 24_000,
  scaleOutCooldownSeconds: 60,
  scaleInCooldownSeconds: 300,
  /** Scheduled actions, UTC: the minimum goes up before the weekend and back down after it. */
  weekendStart: { weekDay: 'FRI', hour: 16 },
  weekendEnd: { weekDay: 'MON', hour: 6 }
} as const

/** Rolling deploys (section 3.4) and draining (section 4.3). */
export const deployment = {
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  deregistrationDelaySeconds: 30,
  stopTimeoutSeconds: 30,
  healthCheckGracePeriodSeconds: 60
} as const

/** The probes (section 4.1): ALB target health on `/ready`, container health on `/health`. */
export const probes = {
  readiness: { path: '/ready', intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
  liveness: { path: '/health', intervalSeconds: 10, timeoutSeconds: 3, retries: 3, startPeriodSeconds: 20 }
} as const

/** The container's port (Dockerfile `PORT`) and the paths the ALB forwards; `/metrics` is not among them. */
export const containerPort = 3000
export const publicPathPatterns = [
  ['/songs', '/songs/*'],
  ['/users', '/users/*', '/auth/*'],
  ['/openapi.json', '/docs', '/docs/*']
] as const

/**
 * Edge cache behaviours (section 3.2): CloudFront keeps what the origin's `Cache-Control` says (no default TTL,
 * a ceiling of `maxTtlSeconds`) and keys on the query strings each route reads, nothing else. `originMaxAge` is
 * the `max-age` the route sends (its `config.cacheControl`), checked against the code by a test.
 * `/songs` also takes the account routes' admin writes, so `Authorization` is part of its key: CloudFront forwards
 * that header only when it is in the key, and then no caller's entry can answer another caller.
 */
export const cachedRoutes = [
  { pathPattern: '/songs', route: 'GET /songs', queryStrings: ['limit', 'cursor'], originMaxAge: 60, authorizationInKey: true },
  { pathPattern: '/songs/search', route: 'GET /songs/search', queryStrings: ['message', 'limit', 'cursor'], originMaxAge: 60, authorizationInKey: false },
  { pathPattern: '/songs/avg/difficulty', route: 'GET /songs/avg/difficulty', queryStrings: ['level'], originMaxAge: 60, authorizationInKey: false },
  { pathPattern: '/songs/avg/rating/*', route: 'GET /songs/avg/rating/:song_id', queryStrings: [], originMaxAge: 5, authorizationInKey: false }
] as const
export const edgeMaxTtlSeconds = 300
/** Never cached: every method, every header (`Authorization` too) goes to the origin. */
export const uncachedPathPatterns = ['/songs/rating', '/users*', '/auth/*'] as const

/** AWS WAF on CloudFront (section 2). */
export const waf = {
  managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesBotControlRuleSet'],
  /** Requests per client IP per 5 minutes. */
  rateLimitPer5Minutes: 2_000
} as const

/** Service level objectives (section 4.2), 28-day windows. */
export const slo = {
  availabilityPercent: 99.9,
  windowDays: 28,
  /** p99 latency objectives per route, in the `method` and `route` labels `/metrics` uses. */
  latencyP99Ms: [
    { method: 'GET', route: '/songs', ms: 100 },
    { method: 'GET', route: '/songs/avg/difficulty', ms: 100 },
    { method: 'GET', route: '/songs/avg/rating/:song_id', ms: 100 },
    { method: 'GET', route: '/songs/search', ms: 150 },
    { method: 'POST', route: '/songs/rating', ms: 200 }
  ]
} as const

/** The error budget as a ratio: 0.001 for 99.9 %. */
export const errorBudget = Number(((100 - slo.availabilityPercent) / 100).toFixed(6))

/** The per-task MongoDB connection pool (section 3.6): `maxPoolSize` in `MONGODB_URL`. */
export const mongodbMaxPoolSize = 20

/** Alarm thresholds (section 4.2). */
export const alarms = {
  fastBurn: { rate: 14.4, longWindowMinutes: 60, shortWindowMinutes: 5 },
  slowBurn: { rate: 6, longWindowMinutes: 360, shortWindowMinutes: 30 },
  latencyForMinutes: 10,
  minHealthyHosts: 2,
  unhealthyHostsForMinutes: 5,
  tasksAtMaximumCpuPercent: 70,
  tasksAtMaximumForMinutes: 10,
  eventLoopLagP99Seconds: 0.2,
  eventLoopLagForMinutes: 5,
  databaseUnreachableForMinutes: 3,
  commandFailuresPerSecond: 1,
  commandFailuresForMinutes: 5,
  /** Share of answers that are 429 (the API's own rate limit) before someone should look at the limit. */
  rateLimitedRatio: 0.05,
  rateLimitedForMinutes: 15,
  /** Pool connections checked out, as a share of `maxPoolSize`. */
  poolSaturationRatio: 0.8,
  poolSaturationForMinutes: 5,
  redisCpuPercent: 70,
  redisCpuForMinutes: 15,
  edge5xxPercent: 1,
  edge5xxForMinutes: 5,
  edgeCacheHitPercent: 50,
  edgeCacheHitForMinutes: 30
} as const

/**
 * Traces (section 4.2): the share of requests the API samples (`parentbased_traceidratio`; a caller's sampled
 * `traceparent` is followed), sent over OTLP/HTTP to the ADOT sidecar on the task's loopback and on to X-Ray.
 * 1 % of the ≈ 2,600 origin req/s at the weekend peak is ≈ 26 traces/s.
 */
export const tracing = {
  sampleRatio: 0.01,
  otlpHttpPort: 4318
} as const
