import { App, aws_s3 as s3, Stack, Validations } from 'aws-cdk-lib'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildInfraApp } from '../../infra/app.ts'
import { synthesize } from './synth.ts'

// cdk-nag's AwsSolutions pack runs as a validation plugin of the app: a finding nobody acknowledged fails `cdk synth`.
const { directory, stacks } = synthesize()

t.test('both environments synthesize with no unacknowledged AwsSolutions finding, error or warning', async t => {
  const report = JSON.parse(readFileSync(join(directory, 'validation-report.json'), 'utf8'))
  const violations = report.pluginReports.flatMap((plugin: any) => plugin.violations.map((v: any) => `${plugin.pluginName} ${v.ruleName} (${v.severity})`))
  t.same(violations, [], 'nothing to report')
})

t.test('the same app fails to synthesize when a resource breaks an AwsSolutions rule', async t => {
  const { app } = buildInfraApp(new App())
  new s3.Bucket(new Stack(app, 'careless', { env: { region: 'us-east-1' } }), 'Bucket') // eslint-disable-line no-new
  t.throws(() => app.synth(), /Validation failed/)
})

t.test('every acknowledged finding is a named rule with its reason, and the list is the reviewed one', async t => {
  const acknowledged = stacks[0]!.stack.node.findAll()
    .flatMap(construct => construct.node.metadata.filter(entry => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap(entry => Object.entries(entry.data as Record<string, string>).map(([rule, reason]) => ({ path: construct.node.path, rule: rule.replace(/^[^:]*::/, ''), reason }))))
    // The library acknowledges a few CloudFormation-validation findings of its own; these are this design's.
    .filter(({ rule }) => rule.startsWith('AwsSolutions-'))
  for (const { path, rule, reason } of acknowledged) t.ok(reason.length >= 60, `${rule} on ${path} says why: ${reason}`)
  t.same(acknowledged.map(({ path, rule }) => `${path} ${rule}`).sort(), [
    'songs-api-staging/AccessLogs AwsSolutions-S1',
    // The search-terms build (infra/constructs/search-terms-build.ts): the Provider framework's invoke grants
    // (function ARN and `ARN:*`), the handlers' ECS resources, and the framework's waiter state machine.
    'songs-api-staging/Api/SearchTermsBuild/FrameworkCompleteRole AwsSolutions-IAM5[Resource::<ApiSearchTermsBuildIsCompleteBEF4E164.Arn>:*]',
    'songs-api-staging/Api/SearchTermsBuild/FrameworkCompleteRole AwsSolutions-IAM5[Resource::<ApiSearchTermsBuildOnEventE4658668.Arn>:*]',
    'songs-api-staging/Api/SearchTermsBuild/FrameworkOnEventRole AwsSolutions-IAM5[Resource::<ApiSearchTermsBuildIsCompleteBEF4E164.Arn>:*]',
    'songs-api-staging/Api/SearchTermsBuild/FrameworkOnEventRole AwsSolutions-IAM5[Resource::<ApiSearchTermsBuildOnEventE4658668.Arn>:*]',
    'songs-api-staging/Api/SearchTermsBuild/IsCompleteRole AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:us-east-1:<AWS::AccountId>:task/<ApiCluster38154836>/*]',
    'songs-api-staging/Api/SearchTermsBuild/OnEventRole AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:us-east-1:<AWS::AccountId>:task-definition/songsapistagingApiTaskC960F8F7:*]',
    'songs-api-staging/Api/SearchTermsBuild/Provider/waiter-state-machine AwsSolutions-IAM5[Resource::<ApiSearchTermsBuildProviderframeworkisCompleteC625EA77.Arn>:*]',
    'songs-api-staging/Api/SearchTermsBuild/Provider/waiter-state-machine AwsSolutions-IAM5[Resource::<ApiSearchTermsBuildProviderframeworkonTimeout71D9B027.Arn>:*]',
    'songs-api-staging/Api/SearchTermsBuild/Provider/waiter-state-machine AwsSolutions-SF1',
    'songs-api-staging/Api/SearchTermsBuild/Provider/waiter-state-machine AwsSolutions-SF2',
    'songs-api-staging/Api/Task AwsSolutions-ECS2',
    'songs-api-staging/Api/Task/ExecutionRole AwsSolutions-IAM5[Resource::*]',
    'songs-api-staging/Api/Task/TaskRole AwsSolutions-IAM5[Resource::*]',
    'songs-api-staging/Edge/Distribution AwsSolutions-CFR1',
    'songs-api-staging/JwtSecret AwsSolutions-SMG4',
    'songs-api-staging/MongodbUrl AwsSolutions-SMG4',
    'songs-api-staging/Redis/AuthToken AwsSolutions-SMG4',
    'songs-api-staging/Redis/Url AwsSolutions-SMG4'
  ])
})
