import { aws_ec2 as ec2, aws_ecs as ecs, aws_kms as kms, aws_logs as logs, aws_secretsmanager as secretsmanager, type CfnResource, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { fileURLToPath } from 'node:url'
import { containerPort, deployment, probes } from '../design.ts'
import type { Environment } from '../environments.ts'
import { SearchTermsBuild } from './search-terms-build.ts'

// The repository root: the image is the Dockerfile's, built by `cdk deploy` (synth only stages the directory).
const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface ApiSecrets {
  mongodbUrl: secretsmanager.ISecret
  jwtSecret: secretsmanager.ISecret
  redisUrl: secretsmanager.ISecret
}

/**
 * The API on ECS Fargate (sections 3.4, 4.1, 4.3): the Dockerfile's image in private subnets without public
 * addresses, secrets injected by ECS from Secrets Manager (never plain environment variables), the container
 * health check on `/health`, rolling deploys that keep full capacity and roll back on the circuit breaker, and a
 * stop timeout longer than the server's own 10 s drain. Each deploy of a new task definition first runs
 * `npm run search:build` as a one-off task of it (`searchTermsBuild`); the service rolls only once that succeeded.
 */
export class ApiService extends Construct {
  readonly service: ecs.FargateService
  readonly taskDefinition: ecs.FargateTaskDefinition
  readonly container: ecs.ContainerDefinition
  readonly logGroup: logs.LogGroup
  readonly cluster: ecs.Cluster
  readonly searchTermsBuild: SearchTermsBuild

  constructor (scope: Construct, id: string, props: { environment: Environment, vpc: ec2.IVpc, key: kms.IKey, secrets: ApiSecrets }) {
    super(scope, id)
    const { environment, vpc, key, secrets } = props
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED })
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: environment.logRetentionDays, encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN })
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: environment.task.cpu,
      memoryLimitMiB: environment.task.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX }
    })
    const { liveness } = probes
    this.container = this.taskDefinition.addContainer('api', {
      image: ecs.ContainerImage.fromAsset(REPOSITORY_ROOT),
      portMappings: [{ containerPort }],
      environment: { NODE_ENV: 'production', HOST: '0.0.0.0', PORT: String(containerPort), LOG_LEVEL: 'info' },
      secrets: {
        MONGODB_URL: ecs.Secret.fromSecretsManager(secrets.mongodbUrl),
        JWT_SECRET: ecs.Secret.fromSecretsManager(secrets.jwtSecret, 'current'),
        JWT_PREVIOUS_SECRETS: ecs.Secret.fromSecretsManager(secrets.jwtSecret, 'previous'),
        REDIS_URL: ecs.Secret.fromSecretsManager(secrets.redisUrl)
      },
      healthCheck: {
        command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${containerPort}${liveness.path}').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
        interval: Duration.seconds(liveness.intervalSeconds),
        timeout: Duration.seconds(liveness.timeoutSeconds),
        retries: liveness.retries,
        startPeriod: Duration.seconds(liveness.startPeriodSeconds)
      },
      stopTimeout: Duration.seconds(deployment.stopTimeoutSeconds),
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'api' })
    })
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The plain environment holds only non-secret settings (NODE_ENV, HOST, PORT, LOG_LEVEL, the OTEL_* tracing settings, the collector configurations); MONGODB_URL, JWT_SECRET, JWT_PREVIOUS_SECRETS and REDIS_URL come from Secrets Manager through `secrets`'
    })
    Validations.of(this.taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource-level permissions (it must be "*"); every other statement of the execution role names its repository, log group, secret or key'
    })
    const vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: environment.tasks.minimum,
      vpcSubnets,
      assignPublicIp: false,
      minHealthyPercent: deployment.minimumHealthyPercent,
      maxHealthyPercent: deployment.maximumPercent,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(deployment.healthCheckGracePeriodSeconds)
    })
    // The build runs where the service's tasks do: its subnets and its security group (the one Atlas and Redis admit).
    this.searchTermsBuild = new SearchTermsBuild(this, 'SearchTermsBuild', {
      environment,
      key,
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      container: this.container,
      subnets: vpc.selectSubnets(vpcSubnets),
      securityGroups: this.service.connections.securityGroups
    })
    // CloudFormation updates the ECS service only after the build succeeded. The service resource itself, not the
    // whole FargateService construct: its security group (a child of it) is what the build runs in.
    const serviceResource = this.service.node.defaultChild as CfnResource
    serviceResource.node.addDependency(this.searchTermsBuild)
  }
}
