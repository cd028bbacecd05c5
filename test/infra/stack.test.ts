import { aws_cloudfront as cloudfront } from 'aws-cdk-lib'
import type { Template } from 'aws-cdk-lib/assertions'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { alarms, cachedRoutes, containerPort, deployment, edgeMaxTtlSeconds, errorBudget, probes, scaling, tracing, waf } from '../../infra/design.ts'
import { PROMETHEUS_RULES } from '../../infra/constructs/metrics-collector.ts'
import { searchBuildTimeouts } from '../../infra/constructs/search-terms-build.ts'
import { pathPattern, synthesize } from './synth.ts'

// What the design promises of each environment's template (docs/architecture.md, sections 2–4).
const { stacks } = synthesize()

type Resources = Record<string, { Type: string, Properties: any, Metadata?: any }>

function resources (template: Template, type: string): Array<{ id: string, properties: any }> {
  return Object.entries(template.findResources(type) as Resources).map(([id, resource]) => ({ id, properties: resource.Properties }))
}

function only (template: Template, type: string): any {
  const found = resources(template, type)
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`)
  return found[0]!.properties
}

const apiContainer = (template: Template) => only(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions.find((c: any) => c.Name === 'api')

const onlyId = (template: Template, type: string): string => {
  const [found, ...others] = Object.keys(template.findResources(type))
  if (!found || others.length > 0) throw new Error(`expected one ${type}`)
  return found
}

/** The search-terms build's custom resource, and its provider's functions: the framework's and the two handlers. */
function searchBuild (template: Template) {
  const build = resources(template, 'Custom::SearchTermsBuild')
  if (build.length !== 1) throw new Error(`expected one Custom::SearchTermsBuild, found ${build.length}`)
  const functions = template.findResources('AWS::Lambda::Function') as Resources
  const framework = functions[build[0]!.properties.ServiceToken['Fn::GetAtt'][0]]!.Properties
  const handler = (variable: string) => {
    const handlerId = framework.Environment.Variables[variable]['Fn::GetAtt'][0]
    return { id: handlerId, code: functions[handlerId]!.Properties.Code.ZipFile as string, role: functions[handlerId]!.Properties.Role['Fn::GetAtt'][0] as string }
  }
  return { ...build[0]!, onEvent: handler('USER_ON_EVENT_FUNCTION_ARN'), isComplete: handler('USER_IS_COMPLETE_FUNCTION_ARN') }
}

/** The IAM policy statements of the whole template that grant `action` (directly or by a wildcard), with their roles. */
function grants (template: Template, action: string): Array<{ roles: string[], statement: any }> {
  // IAM action names are case-insensitive globs, like the path patterns `pathPattern` reads.
  const matches = (pattern: string) => new RegExp(pathPattern(pattern).source, 'i').test(action)
  return resources(template, 'AWS::IAM::Policy').flatMap(policy => policy.properties.PolicyDocument.Statement
    .filter((statement: any) => statement.Effect === 'Allow' && [statement.Action].flat().some(matches))
    .map((statement: any) => ({ roles: policy.properties.Roles.map((role: any) => role.Ref), statement })))
}

for (const { environment, template } of stacks) {
  t.test(`${environment.name}: a VPC over three AZs; tasks, Redis and the Atlas endpoint in private subnets`, async t => {
    const subnets = resources(template, 'AWS::EC2::Subnet').map(s => s.properties)
    const privateSubnets = subnets.filter(s => s.MapPublicIpOnLaunch === false)
    t.same(new Set(privateSubnets.map(s => s.AvailabilityZone)), new Set(environment.availabilityZones), 'private subnets in all three AZs')
    t.equal(privateSubnets.length, 6, 'application and data subnets in each AZ')
    t.same(only(template, 'AWS::ECS::Service').NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp, 'DISABLED')
    t.equal(only(template, 'AWS::ECS::Service').LaunchType, 'FARGATE')
  })

  t.test(`${environment.name}: target tracking on CPU and requests per target, between the environment's bounds`, async t => {
    const target = only(template, 'AWS::ApplicationAutoScaling::ScalableTarget')
    t.equal(target.MinCapacity, environment.tasks.minimum)
    t.equal(target.MaxCapacity, environment.tasks.maximum)
    const policies = resources(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(p => p.properties.TargetTrackingScalingPolicyConfiguration)
    const byMetric = (metric: string) => policies.find(p => p.PredefinedMetricSpecification.PredefinedMetricType === metric)
    t.match(byMetric('ECSServiceAverageCPUUtilization'), { TargetValue: scaling.cpuTargetPercent, ScaleOutCooldown: 60, ScaleInCooldown: 300 })
    t.match(byMetric('ALBRequestCountPerTarget'), { TargetValue: 24_000, ScaleOutCooldown: scaling.scaleOutCooldownSeconds, ScaleInCooldown: scaling.scaleInCooldownSeconds })
    t.equal(policies.length, 2, 'no other policy')
  })

  t.test(`${environment.name}: the minimum goes up on Friday 16:00 UTC and back down on Monday 06:00 UTC`, async t => {
    const actions = only(template, 'AWS::ApplicationAutoScaling::ScalableTarget').ScheduledActions
    t.same(actions.map((a: any) => [a.Schedule, a.Timezone, a.ScalableTargetAction]), [
      ['cron(0 16 ? * FRI *)', 'Etc/UTC', { MinCapacity: environment.tasks.weekendMinimum }],
      ['cron(0 6 ? * MON *)', 'Etc/UTC', { MinCapacity: environment.tasks.minimum }]
    ])
  })

  t.test(`${environment.name}: rolling deploys at full capacity with the circuit breaker rolling back`, async t => {
    t.match(only(template, 'AWS::ECS::Service').DeploymentConfiguration, {
      MinimumHealthyPercent: 100,
      MaximumPercent: deployment.maximumPercent,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true }
    })
    t.equal(apiContainer(template).StopTimeout, 30, 'longer than the server’s 10 s drain')
  })

  t.test(`${environment.name}: each deploy of a new task definition runs \`npm run search:build\` as a one-off task of it, and the service rolls only after it succeeded`, async t => {
    const build = searchBuild(template)
    const service = only(template, 'AWS::ECS::Service')
    const network = service.NetworkConfiguration.AwsvpcConfiguration
    t.match(build.properties, {
      // A task definition's Ref is its ARN with the revision: a new image is a new revision, so the build runs again.
      TaskDefinition: { Ref: onlyId(template, 'AWS::ECS::TaskDefinition') },
      Cluster: { 'Fn::GetAtt': [service.Cluster.Ref, 'Arn'] },
      Container: 'api',
      Command: ['node', 'src/scripts/build-search-terms.ts']
    }, 'the API task definition, in the service’s cluster, with the api container’s command overridden')
    t.same(build.properties.Subnets, network.Subnets, 'in the service’s private subnets')
    t.same(build.properties.SecurityGroups, network.SecurityGroups, 'with the service’s security group, the one Atlas and Redis admit')
    t.match(build.onEvent.code, /new RunTaskCommand\(\{[^]*taskDefinition: p\.TaskDefinition,[^]*containerOverrides: \[\{ name: p\.Container, command: p\.Command \}\]/, 'the provider’s onEvent handler runs that task definition with that override')
    t.match(build.isComplete.code, /new DescribeTasksCommand\(/, 'its isComplete handler watches the task')
    const dependsOn = (resource: string): string[] => template.toJSON().Resources[resource].DependsOn ?? []
    t.ok(dependsOn(onlyId(template, 'AWS::ECS::Service')).includes(build.id), 'CloudFormation updates the service only once the build resource is done')
    const atlas = ['MongoDB::Atlas::Cluster', 'MongoDB::Atlas::PrivateEndpointAWS'].map(type => onlyId(template, type))
    t.ok(atlas.every(resource => dependsOn(build.id).includes(resource)), 'on a new stack the build waits for the Atlas cluster and its PrivateLink endpoint')

    const waiter = JSON.stringify(only(template, 'AWS::StepFunctions::StateMachine').DefinitionString)
    const interval = Number(/IntervalSeconds\\":(\d+)/.exec(waiter)?.[1])
    const attempts = Number(/MaxAttempts\\":(\d+)/.exec(waiter)?.[1])
    t.equal(interval, 30, 'the task is looked at every 30 s')
    t.ok(interval * attempts < 3600 && interval * attempts > searchBuildTimeouts.deadline.toSeconds(), 'the provider waits past the build’s own deadline, and gives up within CloudFormation’s hour')
    t.equal(build.properties.ServiceTimeout, '3600')
  })

  t.test(`${environment.name}: least privilege: the build's handlers may run only the API task definition, pass only its two roles, watch only its cluster's tasks`, async t => {
    const build = searchBuild(template)
    const taskDefinition = only(template, 'AWS::ECS::TaskDefinition')
    const cluster = onlyId(template, 'AWS::ECS::Cluster')
    const inCluster = { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [cluster, 'Arn'] } } }
    const arn = (...rest: unknown[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecs:${environment.region}:`, { Ref: 'AWS::AccountId' }, ...rest]] })

    const runTask = grants(template, 'ecs:RunTask')
    t.same(runTask.map(g => g.roles), [[build.onEvent.role]], 'one statement in the stack may run tasks: the onEvent handler’s')
    t.same(runTask[0]?.statement.Resource, arn(`:task-definition/${taskDefinition.Family}:*`), 'the API task definition’s revisions only')
    t.same(runTask[0]?.statement.Condition, inCluster, 'in the API cluster only')

    const passRole = grants(template, 'iam:PassRole')
    t.same(passRole.map(g => g.roles), [[build.onEvent.role]], 'one statement may pass roles: the onEvent handler’s')
    t.same(passRole[0]?.statement.Resource, [taskDefinition.TaskRoleArn, taskDefinition.ExecutionRoleArn], 'the task role and the execution role, nothing else')
    t.same(passRole[0]?.statement.Condition, { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }, 'to ECS tasks only')

    for (const action of ['ecs:DescribeTasks', 'ecs:StopTask']) {
      const found = grants(template, action)
      t.same(found.map(g => g.roles), [[build.isComplete.role]], `${action}: the isComplete handler only`)
      t.same(found[0]?.statement.Resource, arn(':task/', { Ref: cluster }, '/*'), `${action}: the API cluster's tasks only`)
    }
    const roles = template.findResources('AWS::IAM::Role') as Resources
    for (const role of [build.onEvent.role, build.isComplete.role]) t.same(roles[role]?.Properties.ManagedPolicyArns, undefined, `${role}: no managed policies`)
  })

  t.test(`${environment.name}: container health on /health, ALB target health on /ready`, async t => {
    const health = apiContainer(template).HealthCheck
    t.match(health.Command.join(' '), `http://127.0.0.1:${containerPort}/health`)
    t.match(health, { Interval: probes.liveness.intervalSeconds, Timeout: probes.liveness.timeoutSeconds, Retries: probes.liveness.retries })
    t.match(only(template, 'AWS::ElasticLoadBalancingV2::TargetGroup'), {
      HealthCheckPath: '/ready',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(deployment.deregistrationDelaySeconds) }]
    })
  })

  t.test(`${environment.name}: the ALB forwards the public paths only; /metrics gets its 404`, async t => {
    const listener = only(template, 'AWS::ElasticLoadBalancingV2::Listener')
    t.match(listener, { Port: 443, Protocol: 'HTTPS', DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'application/problem+json' } }] })
    t.match(JSON.parse(listener.DefaultActions[0].FixedResponseConfig.MessageBody), { status: 404, code: 'NOT_FOUND', type: 'urn:songs-api:problem:not-found' }, 'the API’s own problem format')
    const forwarded = resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')
      .filter(r => r.properties.Actions.some((a: any) => a.Type === 'forward'))
      .flatMap(r => r.properties.Conditions.flatMap((c: any) => c.PathPatternConfig?.Values ?? c.Values))
      .map(pathPattern)
    const isForwarded = (path: string) => forwarded.some(pattern => pattern.test(path))
    for (const path of ['/songs', '/songs/search', '/songs/avg/rating/0123456789abcdef01234567', '/songs/rating', '/users', '/auth/token', '/openapi.json', '/docs/']) {
      t.ok(isForwarded(path), `${path} reaches the tasks`)
    }
    for (const path of ['/metrics', '/metrics/', '/health', '/ready']) t.notOk(isForwarded(path), `${path} is not forwarded`)
    const ingress = [
      ...resources(template, 'AWS::EC2::SecurityGroup').flatMap(g => g.properties.SecurityGroupIngress ?? []),
      ...resources(template, 'AWS::EC2::SecurityGroupIngress').map(r => r.properties)
    ]
    t.same(ingress.filter((rule: any) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0'), [], 'nothing is open to the internet')
    t.ok(ingress.some((rule: any) => rule.SourcePrefixListId === environment.cloudFrontPrefixListId && rule.FromPort === 443), 'the ALB takes HTTPS from CloudFront’s addresses')
  })

  t.test(`${environment.name}: CloudFront caches each GET route by its own query strings, keeps the origin's Cache-Control and never caches writes or accounts`, async t => {
    const distribution = only(template, 'AWS::CloudFront::Distribution').DistributionConfig
    const policies = Object.fromEntries(resources(template, 'AWS::CloudFront::CachePolicy').map(p => [p.id, p.properties.CachePolicyConfig]))
    const behaviourFor = (path: string) => distribution.CacheBehaviors.find((b: any) => pathPattern(b.PathPattern).test(path)) ?? distribution.DefaultCacheBehavior
    const policyOf = (behaviour: any) => policies[behaviour.CachePolicyId.Ref]
    const disabled = cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId
    const allViewer = cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId

    for (const route of cachedRoutes) {
      const path = route.pathPattern.replace('*', '0123456789abcdef01234567')
      const policy = policyOf(behaviourFor(path))
      t.ok(policy, `${route.route} has a cache policy of its own`)
      const key = policy.ParametersInCacheKeyAndForwardedToOrigin
      t.same(key.QueryStringsConfig.QueryStrings ?? [], route.queryStrings, `${route.route} keys on ${route.queryStrings.join(', ') || 'no query string'}`)
      t.equal(key.QueryStringsConfig.QueryStringBehavior, route.queryStrings.length > 0 ? 'whitelist' : 'none')
      t.match(policy, { MinTTL: 0, DefaultTTL: 0, MaxTTL: edgeMaxTtlSeconds }, 'the origin’s max-age decides; nothing is cached without one')
      t.equal(key.CookiesConfig.CookieBehavior, 'none')
      t.same(key.HeadersConfig.Headers ?? [], route.authorizationInKey ? ['Authorization'] : [], 'Authorization is forwarded only as part of the key')
    }
    for (const path of ['/songs/rating', '/users', '/users/me', '/auth/token', '/songs/0123456789abcdef01234567', '/anything-new']) {
      const behaviour = behaviourFor(path)
      t.equal(behaviour.CachePolicyId, disabled, `${path} is never cached`)
      t.equal(behaviour.OriginRequestPolicyId, allViewer, `${path} reaches the origin with every header, Authorization included`)
      t.same(behaviour.AllowedMethods, ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'])
    }
    t.match(distribution, { HttpVersion: 'http2and3', ViewerCertificate: { MinimumProtocolVersion: 'TLSv1.2_2021' } })
    t.match(distribution.DefaultCacheBehavior.FunctionAssociations, [{ EventType: 'viewer-request' }], 'the request-id and case-folding function runs on every request')
  })

  t.test(`${environment.name}: WAF with the managed rule groups and a per-IP rate rule, on the distribution`, async t => {
    const acl = only(template, 'AWS::WAFv2::WebACL')
    t.equal(acl.Scope, 'CLOUDFRONT')
    t.same(acl.Rules.flatMap((r: any) => r.Statement.ManagedRuleGroupStatement?.Name ?? []), waf.managedRuleGroups)
    t.match(acl.Rules.find((r: any) => r.Statement.RateBasedStatement), { Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } })
    const [aclId] = Object.keys(template.findResources('AWS::WAFv2::WebACL'))
    t.same(only(template, 'AWS::CloudFront::Distribution').DistributionConfig.WebACLId, { 'Fn::GetAtt': [aclId, 'Arn'] })
  })

  t.test(`${environment.name}: MONGODB_URL, JWT_SECRET, JWT_PREVIOUS_SECRETS and REDIS_URL come from Secrets Manager, never the plain environment`, async t => {
    const container = apiContainer(template)
    const secretNames = ['MONGODB_URL', 'JWT_SECRET', 'JWT_PREVIOUS_SECRETS', 'REDIS_URL']
    t.same(container.Secrets.map((s: any) => s.Name).sort(), [...secretNames].sort())
    const secrets = new Set(Object.keys(template.findResources('AWS::SecretsManager::Secret')))
    const secretOf = (secret: any) => secret.ValueFrom.Ref ?? secret.ValueFrom['Fn::Join']?.[1]?.[0]?.Ref
    for (const secret of container.Secrets) t.ok(secrets.has(secretOf(secret)), `${secret.Name} is a stack secret`)
    const jwt = (name: string) => JSON.stringify(container.Secrets.find((s: any) => s.Name === name).ValueFrom)
    t.match(jwt('JWT_SECRET'), /:current::/, 'JWT_SECRET is the current field of the signing-key secret')
    t.match(jwt('JWT_PREVIOUS_SECRETS'), /:previous::/, 'JWT_PREVIOUS_SECRETS its previous field')
    t.match(resources(template, 'AWS::SecretsManager::Secret').find(s => s.id.startsWith('JwtSecret'))?.properties.GenerateSecretString,
      { GenerateStringKey: 'current', SecretStringTemplate: '{"previous":""}' }, 'a new stack starts with a generated current key and no previous one')
    const plain = only(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions.flatMap((c: any) => c.Environment ?? [])
    t.same(plain.filter((e: any) => secretNames.includes(e.Name)), [], 'not in any container’s environment')
    const parameter = template.toJSON().Parameters.MongodbConnectionString
    t.match(parameter, { NoEcho: true }, 'the connection string is a NoEcho parameter')
    t.same(resources(template, 'AWS::SecretsManager::Secret').find(s => s.id.startsWith('MongodbUrl'))?.properties.SecretString, { Ref: 'MongodbConnectionString' }, 'MONGODB_URL holds it')
    const text = JSON.stringify(template.toJSON())
    t.notMatch(text, /mongodb(\+srv)?:\/\/[^"]*@/, 'no connection string with credentials in the template')
    t.match(text, /\{\{resolve:secretsmanager:/, 'the Redis AUTH token is a deploy-time dynamic reference')
  })

  t.test(`${environment.name}: no public database: Atlas over PrivateLink only, Redis in isolated subnets, both reachable from the tasks alone`, async t => {
    t.same(Object.keys(template.findResources('MongoDB::Atlas::ProjectIpAccessList')), [], 'no Atlas access-list entry')
    t.match(only(template, 'MongoDB::Atlas::Cluster'), {
      ClusterType: 'REPLICASET',
      BackupEnabled: true,
      PitEnabled: true,
      ReplicationSpecs: [{ AdvancedRegionConfigs: [{ ElectableSpecs: { InstanceSize: environment.atlas.instanceSize, NodeCount: 3 }, AutoScaling: { Compute: { Enabled: true, MaxInstanceSize: environment.atlas.maxInstanceSize } } }] }]
    })
    const endpoint = only(template, 'AWS::EC2::VPCEndpoint')
    t.equal(endpoint.VpcEndpointType, 'Interface')
    t.same(endpoint.ServiceName, { 'Fn::GetAtt': [Object.keys(template.findResources('MongoDB::Atlas::PrivateEndpointService'))[0], 'EndpointServiceName'] })
    t.match(only(template, 'MongoDB::Atlas::PrivateEndpointAWS'), { Id: { Ref: Object.keys(template.findResources('AWS::EC2::VPCEndpoint'))[0] } }, 'the endpoint is registered with Atlas')

    const taskGroup = only(template, 'AWS::ECS::Service').NetworkConfiguration.AwsvpcConfiguration.SecurityGroups[0]['Fn::GetAtt'][0]
    const ingress = resources(template, 'AWS::EC2::SecurityGroupIngress').map(r => r.properties)
    const redis = only(template, 'AWS::ElastiCache::ReplicationGroup')
    const redisGroup = redis.SecurityGroupIds[0]['Fn::GetAtt'][0]
    const endpointGroup = endpoint.SecurityGroupIds[0]['Fn::GetAtt'][0]
    for (const group of [redisGroup, endpointGroup]) {
      const rules = ingress.filter(r => r.GroupId['Fn::GetAtt'][0] === group)
      t.ok(rules.length > 0, `${group} has ingress rules`)
      t.ok(rules.every(r => r.SourceSecurityGroupId?.['Fn::GetAtt']?.[0] === taskGroup), `${group} admits the API tasks only`)
    }
    t.match(redis, { MultiAZEnabled: true, AutomaticFailoverEnabled: true, NumCacheClusters: 2, TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true, CacheNodeType: environment.redisNodeType })
    const isolated = resources(template, 'AWS::EC2::Subnet').filter(s => s.properties.Tags.some((tag: any) => tag.Key === 'aws-cdk:subnet-type' && tag.Value === 'Isolated')).map(s => s.id)
    const subnetGroup = only(template, 'AWS::ElastiCache::SubnetGroup')
    t.same(subnetGroup.SubnetIds.map((s: any) => s.Ref).sort(), isolated.sort(), 'Redis in the isolated subnets')
  })

  t.test(`${environment.name}: least privilege: the task role may only write metrics to its workspace and traces to X-Ray`, async t => {
    const taskRole = only(template, 'AWS::ECS::TaskDefinition').TaskRoleArn['Fn::GetAtt'][0]
    const statements = resources(template, 'AWS::IAM::Policy')
      .filter(p => p.properties.Roles.some((r: any) => r.Ref === taskRole))
      .flatMap(p => p.properties.PolicyDocument.Statement)
    t.same(statements, [
      { Action: 'aps:RemoteWrite', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::APS::Workspace'))[0], 'Arn'] } },
      // Neither action has resource-level permissions; no sampling rules are read (the API samples itself).
      { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' }
    ])
    t.same(resources(template, 'AWS::IAM::Role').find(r => r.id === taskRole)?.properties.ManagedPolicyArns, undefined, 'no managed policies')
  })

  t.test(`${environment.name}: traces: the API sends OTLP to an ADOT sidecar on the task's loopback, which exports to X-Ray`, async t => {
    const containers = only(template, 'AWS::ECS::TaskDefinition').ContainerDefinitions
    const collector = containers.find((c: any) => c.Name === 'trace-collector')
    t.match(collector, { Essential: false, ReadonlyRootFilesystem: true, Image: /aws-otel-collector:v\d/ }, 'a non-essential ADOT sidecar: losing it loses traces, not requests')
    const config = JSON.parse(collector.Environment.find((e: any) => e.Name === 'AOT_CONFIG_CONTENT').Value['Fn::Sub'])
    t.same(config.receivers, { otlp: { protocols: { http: { endpoint: `127.0.0.1:${tracing.otlpHttpPort}` } } } }, 'OTLP/HTTP on the loopback only')
    t.same(config.service.pipelines, { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['awsxray'] } })
    // A Fn::Sub placeholder, filled in by CloudFormation.
    t.equal(config.exporters.awsxray.region, '${AWS::Region}') // eslint-disable-line no-template-curly-in-string
    const environmentOf = (container: any) => Object.fromEntries(container.Environment.map((e: any) => [e.Name, e.Value]))
    t.match(environmentOf(apiContainer(template)), {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${tracing.otlpHttpPort}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: String(tracing.sampleRatio)
    }, 'the API samples its share of requests and sends them to the sidecar')
    t.same(apiContainer(template).DependsOn, [{ ContainerName: 'trace-collector', Condition: 'START' }], 'the API starts after the sidecar')
    t.equal(collector.LogConfiguration.Options['awslogs-stream-prefix'], 'trace-collector')
  })

  t.test(`${environment.name}: logs retained and, with secrets, Redis and the alarm topics, encrypted with the stack's key`, async t => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'))
    t.match(only(template, 'AWS::KMS::Key'), { EnableKeyRotation: true })
    const usesKey = (value: any) => JSON.stringify(value).includes(`"${keyId}"`)
    for (const group of resources(template, 'AWS::Logs::LogGroup')) {
      t.equal(group.properties.RetentionInDays, environment.logRetentionDays, `${group.id} retention`)
      t.ok(usesKey(group.properties.KmsKeyId), `${group.id} encrypted`)
    }
    for (const secret of resources(template, 'AWS::SecretsManager::Secret')) t.ok(usesKey(secret.properties.KmsKeyId), `${secret.id} encrypted`)
    for (const topic of resources(template, 'AWS::SNS::Topic')) t.ok(usesKey(topic.properties.KmsMasterKeyId), `${topic.id} encrypted`)
    t.ok(usesKey(only(template, 'AWS::ElastiCache::ReplicationGroup').KmsKeyId), 'Redis at rest')
    t.ok(usesKey(only(template, 'AWS::APS::Workspace').KmsKeyArn), 'the metrics workspace')
  })

  t.test(`${environment.name}: an alarm per SLO and alarm row of the design`, async t => {
    const metricAlarms = resources(template, 'AWS::CloudWatch::Alarm').map(a => a.properties)
    const composite = resources(template, 'AWS::CloudWatch::CompositeAlarm').map(a => a.properties)
    const ratioAlarms = metricAlarms.filter(a => a.Metrics?.some((m: any) => m.Expression?.includes('target5xx')))
    const windows = (rate: number) => ratioAlarms.filter(a => Math.abs(a.Threshold - rate * errorBudget) < 1e-12).map(a => a.Metrics.find((m: any) => m.MetricStat).MetricStat.Period / 60).sort((a, b) => a - b)
    t.same(windows(alarms.fastBurn.rate), [5, 60], 'fast burn: 14.4x over 1 h and 5 min')
    t.same(windows(alarms.slowBurn.rate), [30, 360], 'slow burn: 6x over 6 h and 30 min')
    t.equal(composite.filter(c => /Error budget/.test(c.AlarmDescription)).length, 2, 'each burn alarm needs both windows')
    const byMetric = (name: string) => metricAlarms.filter(a => a.MetricName === name)
    t.match(byMetric('TargetResponseTime'), [{ ExtendedStatistic: 'p99', Threshold: 0.2, EvaluationPeriods: 10 }])
    t.match(byMetric('HealthyHostCount'), [{ Threshold: 2, ComparisonOperator: 'LessThanThreshold' }])
    t.match(byMetric('UnHealthyHostCount'), [{ Threshold: 1, EvaluationPeriods: 5 }])
    t.match(byMetric('RunningTaskCount'), [{ Threshold: environment.tasks.maximum, EvaluationPeriods: 10 }])
    t.match(byMetric('CPUUtilization'), [{ Threshold: 70, EvaluationPeriods: 10 }])
    t.equal(byMetric('EngineCPUUtilization').length, 2, 'Redis CPU, each node')
    t.match(byMetric('5xxErrorRate'), [{ Threshold: 1, EvaluationPeriods: 5 }])
    t.match(byMetric('CacheHitRate'), [{ Threshold: 50, EvaluationPeriods: 30, ComparisonOperator: 'LessThanThreshold' }])
    t.ok([...metricAlarms, ...composite].every(a => a.AlarmActions === undefined || a.AlarmActions.length === 1), 'each alarm pages or tickets')
    t.ok(only(template, 'AWS::ElastiCache::ReplicationGroup').NotificationTopicArn, 'Redis failovers reach the ticket topic')
    t.equal(only(template, 'AWS::APS::RuleGroupsNamespace').Data, readFileSync(PROMETHEUS_RULES, 'utf8'), 'the application alerts are the rules of monitoring/prometheus')
    t.match(JSON.stringify(only(template, 'AWS::APS::Workspace').AlertManagerDefinition), /receiver.{0,20}page.{0,40}severity=.{0,12}page/, 'Prometheus alerts routed by severity')
    t.equal(resources(template, 'AWS::CloudWatch::Dashboard').length, 1, 'a dashboard')
  })
}

/**
 * A handler's inline code as the template deploys it, run with a stand-in for the AWS SDK's ECS client: `send`
 * answers each command (by its class name and input) from `answer` and records it.
 */
function inlineHandler (code: string, answer: (name: string, input: any) => any) {
  const sent: Array<{ name: string, input: any }> = []
  const command = (name: string) => ({ [name]: class { input: unknown; constructor (input: unknown) { this.input = input } } })[name]!
  const sdk = {
    ECSClient: class { async send (c: any) { sent.push({ name: c.constructor.name, input: c.input }); return answer(c.constructor.name, c.input) } },
    RunTaskCommand: command('RunTaskCommand'),
    DescribeTasksCommand: command('DescribeTasksCommand'),
    StopTaskCommand: command('StopTaskCommand')
  }
  const module = { exports: {} as { handler: (event: unknown) => Promise<any> } }
  const quiet = { log () {} }
  new Function('require', 'module', 'exports', 'console', code)((name: string) => { // eslint-disable-line no-new-func
    if (name !== '@aws-sdk/client-ecs') throw new Error(`unexpected require ${name}`)
    return sdk
  }, module, module.exports, quiet)
  return { handler: module.exports.handler, sent }
}

t.test('the build handlers: RunTask with the override on Create and Update, nothing on Delete or a rollback; done on exit code 0, failing otherwise', async t => {
  const { template } = stacks[0]!
  const build = searchBuild(template)
  const family = 'arn:aws:ecs:us-east-1:123456789012:task-definition/songsapistagingApiTask'
  const properties = { ...build.properties, TaskDefinition: `${family}:7`, Cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/api', Subnets: ['subnet-1'], SecurityGroups: ['sg-1'], LogGroup: 'api-logs' }
  const taskArn = 'arn:aws:ecs:us-east-1:123456789012:task/api/0123abcd'
  const onEvent = () => inlineHandler(build.onEvent.code, () => ({ tasks: [{ taskArn }], failures: [] }))

  const created = onEvent()
  t.same(await created.handler({ RequestType: 'Create', ResourceProperties: properties }), { PhysicalResourceId: 'search-terms-build', TaskArn: taskArn })
  t.match(created.sent, [{
    name: 'RunTaskCommand',
    input: {
      cluster: properties.Cluster,
      taskDefinition: `${family}:7`,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
      overrides: { containerOverrides: [{ name: 'api', command: ['node', 'src/scripts/build-search-terms.ts'] }] }
    }
  }], 'Create runs the task definition with the command override')
  t.equal(created.sent.length, 1)

  const updated = onEvent()
  await updated.handler({ RequestType: 'Update', PhysicalResourceId: 'search-terms-build', ResourceProperties: properties, OldResourceProperties: { ...properties, TaskDefinition: `${family}:6` } })
  t.same(updated.sent.map(c => c.name), ['RunTaskCommand'], 'an Update to a new revision runs it again')
  const rolledBack = onEvent()
  t.same(await rolledBack.handler({ RequestType: 'Update', PhysicalResourceId: 'search-terms-build', ResourceProperties: { ...properties, TaskDefinition: `${family}:6` }, OldResourceProperties: properties }), { PhysicalResourceId: 'search-terms-build' })
  t.same(rolledBack.sent, [], 'a rollback to the previous revision starts nothing')
  const deleted = onEvent()
  t.same(await deleted.handler({ RequestType: 'Delete', PhysicalResourceId: 'search-terms-build', ResourceProperties: properties }), { PhysicalResourceId: 'search-terms-build' })
  t.same(deleted.sent, [], 'Delete starts nothing')
  const refused = inlineHandler(build.onEvent.code, () => ({ tasks: [], failures: [{ reason: 'RESOURCE:ENI' }] }))
  await t.rejects(refused.handler({ RequestType: 'Create', ResourceProperties: properties }), /RunTask started no task: RESOURCE:ENI/)

  const event = { RequestType: 'Update', ResourceProperties: properties, TaskArn: taskArn }
  const task = (fields: object) => ({ taskArn, createdAt: new Date(), containers: [{ name: 'trace-collector' }, { name: 'api' }], ...fields })
  const isComplete = (fields: object) => inlineHandler(build.isComplete.code, name => name === 'DescribeTasksCommand' ? { tasks: [task(fields)], failures: [] } : {})

  const running = isComplete({ lastStatus: 'RUNNING' })
  t.same(await running.handler(event), { IsComplete: false }, 'not done while the task runs')
  t.match(running.sent, [{ name: 'DescribeTasksCommand', input: { cluster: properties.Cluster, tasks: [taskArn] } }])
  t.same(await isComplete({ lastStatus: 'STOPPED', containers: [{ name: 'api', exitCode: 0 }] }).handler(event), { IsComplete: true }, 'done when the api container exited 0')
  await t.rejects(isComplete({ lastStatus: 'STOPPED', stoppedReason: 'Essential container in task exited', containers: [{ name: 'trace-collector', exitCode: 0 }, { name: 'api', exitCode: 1 }] }).handler(event),
    /failed: exit code 1; Essential container in task exited; its output: log group api-logs, stream api\/api\/0123abcd/, 'exit code 1 fails the deploy, saying where the output is')
  await t.rejects(isComplete({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError', containers: [{ name: 'api' }] }).handler(event),
    /exit code none; TaskFailedToStart; CannotPullContainerError/, 'a task that never ran fails it too')
  const late = isComplete({ lastStatus: 'RUNNING', createdAt: new Date(Date.now() - searchBuildTimeouts.deadline.toMilliseconds() - 1000) })
  await t.rejects(late.handler(event), /still RUNNING after 50 min: stopped; the next deploy resumes it/)
  t.same(late.sent.map(c => c.name), ['DescribeTasksCommand', 'StopTaskCommand'], 'past the deadline the task is stopped before the deploy fails')
  t.same(await isComplete({}).handler({ RequestType: 'Delete', ResourceProperties: properties }), { IsComplete: true }, 'nothing started, nothing to wait for')
})
