import { aws_s3 as s3, aws_secretsmanager as secretsmanager, CfnParameter, Duration, RemovalPolicy, SecretValue, Stack, type StackProps, Validations } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import { AlarmTopics } from './constructs/alarm-topics.ts'
import { Alarms } from './constructs/alarms.ts'
import { ApiService } from './constructs/api-service.ts'
import { Atlas } from './constructs/atlas.ts'
import { Edge } from './constructs/edge.ts'
import { EncryptionKey } from './constructs/encryption-key.ts'
import { LoadBalancer } from './constructs/load-balancer.ts'
import { MetricsCollector } from './constructs/metrics-collector.ts'
import { TraceCollector } from './constructs/trace-collector.ts'
import { Network } from './constructs/network.ts'
import { Redis } from './constructs/redis.ts'
import { scaleApiService } from './constructs/scaling.ts'
import type { Environment } from './environments.ts'

/**
 * One environment of songs-api on AWS (docs/architecture.md): the same class for staging and production, sized by
 * the environment table. Parameters: the Atlas project and API key profile, the two ACM certificates and the
 * MongoDB connection string.
 */
export class SongsApiStack extends Stack {
  constructor (scope: Construct, id: string, props: StackProps & { environment: Environment }) {
    super(scope, id, props)
    const { environment } = props
    const name = `songs-api-${environment.name}`
    const { key } = new EncryptionKey(this, 'Encryption', { alias: name })
    const { vpc } = new Network(this, 'Network', { environment, key })
    const topics = new AlarmTopics(this, 'AlarmTopics', { key })

    // ALB and CloudFront access logs: those services write with SSE-S3 only, so this bucket cannot use the KMS key.
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(environment.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN
    })
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the access-log destination itself; logging its own accesses would need another bucket, and it is written only by the ALB and CloudFront log delivery'
    })

    const redis = new Redis(this, 'Redis', { environment, vpc, key, events: topics.ticket })
    const atlas = new Atlas(this, 'Atlas', { environment, vpc })
    // The Atlas private-endpoint connection string with the application user's credentials and maxPoolSize=20. A
    // NoEcho parameter, so the first deploy starts tasks that can connect; CloudFormation never shows its value.
    const connectionString = new CfnParameter(this, 'MongodbConnectionString', {
      noEcho: true,
      description: 'MONGODB_URL: the Atlas private-endpoint SRV connection string with the application user, database songs, maxPoolSize=20',
      allowedPattern: '^mongodb(\\+srv)?://.+'
    })
    const mongodbUrl = new secretsmanager.Secret(this, 'MongodbUrl', {
      description: 'MONGODB_URL: the Atlas private-endpoint connection string with the application user, maxPoolSize=20',
      encryptionKey: key,
      secretStringValue: SecretValue.cfnParameter(connectionString)
    })
    Validations.of(mongodbUrl).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The credentials in it belong to an Atlas database user: rotating them is a new password in Atlas, then a stack update with the new MongodbConnectionString, which redeploys the tasks'
    })
    // {"current": JWT_SECRET, "previous": JWT_PREVIOUS_SECRETS}: a rotation writes both fields at once (docs/accounts.md).
    const jwtSecret = new secretsmanager.Secret(this, 'JwtSecret', {
      description: 'JWT_SECRET (current) signs the API access tokens; JWT_PREVIOUS_SECRETS (previous) still verifies those of a rotated-out secret',
      encryptionKey: key,
      generateSecretString: { excludePunctuation: true, passwordLength: 64, secretStringTemplate: JSON.stringify({ previous: '' }), generateStringKey: 'current' }
    })
    Validations.of(jwtSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The signing key is rotated on purpose, with a deploy (the old key moves to "previous" until the access tokens it signed expire), not on a schedule'
    })

    const api = new ApiService(this, 'Api', { environment, vpc, key, secrets: { mongodbUrl, jwtSecret, redisUrl: redis.url } })
    redis.securityGroup.connections.allowFrom(api.service, redis.port, 'API tasks to Redis')
    atlas.allowFrom(api.service.connections.securityGroups[0]!)
    // The search-terms build connects to Atlas: on a new stack it waits for the cluster, the endpoint and that rule.
    api.searchTermsBuild.resource.node.addDependency(atlas)
    new MetricsCollector(this, 'Metrics', { name, taskDefinition: api.taskDefinition, logGroup: api.logGroup, topics, key }) // eslint-disable-line no-new
    new TraceCollector(this, 'Traces', { taskDefinition: api.taskDefinition, api: api.container, logGroup: api.logGroup }) // eslint-disable-line no-new

    const loadBalancer = new LoadBalancer(this, 'LoadBalancer', { environment, vpc, accessLogs })
    const targetGroup = loadBalancer.forwardPublicPaths(api.service)
    scaleApiService(api.service, targetGroup, environment)

    const edge = new Edge(this, 'Edge', { environment, accessLogs })
    new Alarms(this, 'Alarms', { // eslint-disable-line no-new
      environment,
      topics,
      alb: loadBalancer.alb,
      targetGroup,
      service: api.service,
      redis: redis.replicationGroup,
      distribution: edge.distribution,
      webAclName: name
    })
  }
}
