import { type aws_ec2 as ec2, type aws_ecs as ecs, aws_iam as iam, type aws_kms as kms, aws_lambda as lambda, aws_logs as logs, type CfnElement, CfnResource, custom_resources as cr, CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import type { Environment } from '../environments.ts'

/**
 * What `npm run search:build` runs (package.json), without npm in between: ECS's SIGTERM reaches node itself, and
 * npm would want to write its logs on the container's read-only root file system.
 */
export const SEARCH_BUILD_COMMAND = ['node', 'src/scripts/build-search-terms.ts']

/**
 * How long a deploy waits for the build. CloudFormation gives a custom resource one hour at most (`ServiceTimeout`
 * is 1 to 3600 s), so the build gets 50 minutes from the task's start: then `isComplete` stops the task and fails
 * the deploy, and the next deploy's build goes on where this one stopped (it is resumable). The provider's own
 * timeout is only a backstop, under CloudFormation's hour.
 */
export const searchBuildTimeouts = {
  deadline: Duration.minutes(50),
  queryInterval: Duration.seconds(30),
  providerTimeout: Duration.minutes(55)
} as const

const PHYSICAL_ID = 'search-terms-build'

/** A construct's (or its default resource's) CloudFormation logical id, as cdk-nag names it in a finding. */
function logicalId (construct: Construct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement
  return Stack.of(construct).getLogicalId(element)
}

/**
 * onEvent: Create and Update start the build as a one-off Fargate task of the API's task definition with the
 * container's command overridden; Delete does nothing (the terms are data, not this resource). A stack rollback
 * comes back as an Update to the previous revision of the same family: that image's build already ran, and an older
 * image may not have the script at all, so the rollback starts nothing.
 */
const ON_EVENT = `const { ECSClient, RunTaskCommand } = require('@aws-sdk/client-ecs')
const ecs = new ECSClient({})
const family = arn => String(arn).split('/').pop().split(':')[0]
const revision = arn => Number(String(arn).split(':').pop())
exports.handler = async event => {
  const done = { PhysicalResourceId: event.PhysicalResourceId || '${PHYSICAL_ID}' }
  if (event.RequestType === 'Delete') return done
  const p = event.ResourceProperties
  const old = event.OldResourceProperties
  if (event.RequestType === 'Update' && old && family(old.TaskDefinition) === family(p.TaskDefinition) && revision(p.TaskDefinition) < revision(old.TaskDefinition)) {
    console.log('rollback to ' + p.TaskDefinition + ' from ' + old.TaskDefinition + ': its search-terms build already ran, none started')
    return done
  }
  const { tasks = [], failures = [] } = await ecs.send(new RunTaskCommand({
    cluster: p.Cluster,
    taskDefinition: p.TaskDefinition,
    launchType: 'FARGATE',
    count: 1,
    startedBy: '${PHYSICAL_ID}',
    networkConfiguration: { awsvpcConfiguration: { subnets: p.Subnets, securityGroups: p.SecurityGroups, assignPublicIp: 'DISABLED' } },
    overrides: { containerOverrides: [{ name: p.Container, command: p.Command }] }
  }))
  if (tasks.length !== 1) throw new Error('search-terms build: RunTask started no task: ' + (failures.map(f => f.reason + (f.detail ? ' (' + f.detail + ')' : '')).join('; ') || 'no reason given'))
  console.log('search-terms build started: ' + tasks[0].taskArn + ' of ' + p.TaskDefinition)
  return { ...done, TaskArn: tasks[0].taskArn }
}
`

/**
 * isComplete: done when the task has stopped with the container's exit code 0; an error (which fails the deploy)
 * with the exit code and ECS's reasons otherwise, or when the task outlasts the deadline (then stopped first).
 */
const isCompleteCode = (deadlineMs: number) => `const { ECSClient, DescribeTasksCommand, StopTaskCommand } = require('@aws-sdk/client-ecs')
const ecs = new ECSClient({})
const DEADLINE_MS = ${deadlineMs}
exports.handler = async event => {
  if (!event.TaskArn) return { IsComplete: true }
  const { Cluster: cluster, Container: container, LogGroup: logGroup, LogStreamPrefix: logStreamPrefix } = event.ResourceProperties
  const { tasks = [], failures = [] } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [event.TaskArn] }))
  const task = tasks[0]
  if (!task) throw new Error('search-terms build ' + event.TaskArn + ': ' + (failures.map(f => f.reason).join('; ') || 'not found'))
  const id = task.taskArn.split('/').pop()
  if (task.lastStatus !== 'STOPPED') {
    const minutes = Math.round(DEADLINE_MS / 60000)
    if (Date.now() - new Date(task.createdAt).getTime() > DEADLINE_MS) {
      await ecs.send(new StopTaskCommand({ cluster, task: task.taskArn, reason: 'search-terms build: deploy deadline of ' + minutes + ' min' }))
      throw new Error('search-terms build (task ' + id + ') still ' + task.lastStatus + ' after ' + minutes + ' min: stopped; the next deploy resumes it where it stopped')
    }
    console.log('search-terms build (task ' + id + '): ' + task.lastStatus)
    return { IsComplete: false }
  }
  const stopped = (task.containers || []).find(c => c.name === container) || {}
  if (stopped.exitCode === 0) {
    console.log('search-terms build (task ' + id + ') done: exit code 0')
    return { IsComplete: true }
  }
  const output = logGroup ? '; its output: log group ' + logGroup + ', stream ' + logStreamPrefix + id : ''
  throw new Error('search-terms build (task ' + id + ') failed: exit code ' + (stopped.exitCode ?? 'none') + '; ' + [task.stopCode, task.stoppedReason, stopped.reason].filter(Boolean).join('; ') + output)
}
`

export interface SearchTermsBuildProps {
  environment: Environment
  key: kms.IKey
  cluster: ecs.ICluster
  taskDefinition: ecs.FargateTaskDefinition
  /** The container whose command is overridden and whose exit code decides. */
  container: ecs.ContainerDefinition
  /** The service's network: the same private subnets and security group reach Atlas, Redis and the internet. */
  subnets: ec2.SelectedSubnets
  securityGroups: ec2.ISecurityGroup[]
}

/**
 * `npm run search:build` on every deploy that changes the API's task definition, before the service rolls to it
 * (a new version answers `/ready` 503 `SEARCH_NOT_READY` until the build has run): a custom resource whose
 * provider runs the task definition once as a one-off Fargate task with the container's command overridden, and
 * waits for it to stop. A non-zero exit code, or a build outlasting the deadline, fails the deploy; the data is not
 * rolled back, and the next deploy resumes the build. The service must depend on this construct.
 */
export class SearchTermsBuild extends Construct {
  readonly resource: CustomResource
  readonly onEventHandler: lambda.Function
  readonly isCompleteHandler: lambda.Function

  constructor (scope: Construct, id: string, props: SearchTermsBuildProps) {
    super(scope, id)
    const { environment, key, cluster, taskDefinition, container, subnets, securityGroups } = props
    const stack = Stack.of(this)
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: environment.logRetentionDays, encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN })
    // Roles of their own (no AWSLambdaBasicExecutionRole): each may write to this log group and do its one job.
    const role = (name: string) => {
      const created = new iam.Role(this, name, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })
      logGroup.grantWrite(created)
      return created
    }
    const clusterCondition = { ArnEquals: { 'ecs:cluster': cluster.clusterArn } }

    const onEventRole = role('OnEventRole')
    // Any revision of the API's family (`family:*`), in this cluster only: the policy need not change with each
    // new revision, and a new revision never waits for its policy.
    const family = `${taskDefinition.family}:*`
    onEventRole.addToPolicy(new iam.PolicyStatement({
      actions: ['ecs:RunTask'],
      resources: [stack.formatArn({ service: 'ecs', resource: 'task-definition', resourceName: family })],
      conditions: clusterCondition
    }))
    onEventRole.addToPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [taskDefinition.taskRole.roleArn, taskDefinition.obtainExecutionRole().roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }
    }))
    Validations.of(onEventRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${stack.region}:<AWS::AccountId>:task-definition/${family}]`,
      reason: 'ecs:RunTask on the revisions of the API task definition family only (family:*, so the policy need not change with each new revision), and only in the API cluster (ecs:cluster condition); iam:PassRole names the task and execution roles'
    })
    const isCompleteRole = role('IsCompleteRole')
    isCompleteRole.addToPolicy(new iam.PolicyStatement({
      actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
      resources: [stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${cluster.clusterName}/*` })],
      conditions: clusterCondition
    }))
    Validations.of(isCompleteRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${stack.region}:<AWS::AccountId>:task/<${logicalId(cluster)}>/*]`,
      reason: 'ecs:DescribeTasks and ecs:StopTask on the tasks of the API cluster only: the build task\'s id exists only once RunTask has started it, so no policy can name it in advance'
    })
    const handler = (name: string, code: string, handlerRole: iam.Role) => new lambda.Function(this, name, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(code),
      role: handlerRole,
      timeout: Duration.seconds(30),
      logGroup
    })
    this.onEventHandler = handler('OnEvent', ON_EVENT, onEventRole)
    this.isCompleteHandler = handler('IsComplete', isCompleteCode(searchBuildTimeouts.deadline.toMilliseconds()), isCompleteRole)

    const frameworkOnEventRole = role('FrameworkOnEventRole')
    const frameworkCompleteRole = role('FrameworkCompleteRole')
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventHandler,
      isCompleteHandler: this.isCompleteHandler,
      queryInterval: searchBuildTimeouts.queryInterval,
      totalTimeout: searchBuildTimeouts.providerTimeout,
      frameworkOnEventRole,
      frameworkCompleteAndTimeoutRole: frameworkCompleteRole,
      logGroup
    })
    // The framework's grants (`grantInvoke`) name a function and its versions and aliases (`ARN:*`): the findings
    // below are each that, for the functions of this construct only.
    const invokes = (fn: Construct) => `AwsSolutions-IAM5[Resource::<${logicalId(fn)}.Arn>:*]`
    const invokeReason = (what: string) => `lambda:InvokeFunction as the custom-resource Provider framework grants it: ${what}, with its versions and aliases (ARN:*), and no other function`
    for (const frameworkRole of [frameworkOnEventRole, frameworkCompleteRole]) {
      // The framework gives each of its functions both grants, whichever it calls.
      Validations.of(frameworkRole).acknowledge(
        { id: invokes(this.onEventHandler), reason: invokeReason('the onEvent handler of this build') },
        { id: invokes(this.isCompleteHandler), reason: invokeReason('the isComplete handler of this build') }
      )
    }
    const waiter = provider.node.findChild('waiter-state-machine')
    Validations.of(waiter).acknowledge(
      { id: invokes(provider.node.findChild('framework-isComplete')), reason: invokeReason('the framework\'s own isComplete function, which the waiter state machine polls') },
      { id: invokes(provider.node.findChild('framework-onTimeout')), reason: invokeReason('the framework\'s own onTimeout function, which the waiter state machine calls last') },
      {
        id: 'AwsSolutions-SF1',
        reason: 'The Provider framework\'s waiter is one poll-and-retry task; Step Functions keeps each execution\'s history itself, and the handlers log the task\'s start and every poll to this construct\'s log group. Logging to CloudWatch would need logs:*LogDelivery and PutResourcePolicy on "*"'
      },
      {
        id: 'AwsSolutions-SF2',
        reason: 'The Provider framework\'s waiter state machine has no tracing setting; it only calls the two framework functions every 30 s, and X-Ray would need xray:Put* on "*" for its role'
      }
    )

    const logOptions = container.logDriverConfig?.options ?? {}
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::SearchTermsBuild',
      serviceTimeout: Duration.hours(1),
      properties: {
        // Its ARN names the revision: a new image is a new revision, so every such deploy runs the build again.
        TaskDefinition: taskDefinition.taskDefinitionArn,
        Cluster: cluster.clusterArn,
        Container: container.containerName,
        Command: SEARCH_BUILD_COMMAND,
        Subnets: subnets.subnetIds,
        SecurityGroups: securityGroups.map(group => group.securityGroupId),
        // Where a failed build's output is, for the error the deploy shows (awslogs: prefix/container/task id).
        LogGroup: logOptions['awslogs-group'],
        LogStreamPrefix: logOptions['awslogs-stream-prefix'] && `${logOptions['awslogs-stream-prefix']}/${container.containerName}/`
      }
    })
    // The task pulls its image from ECR and reads its secrets through the NAT gateways: started before their routes
    // exist, it could not.
    this.resource.node.addDependency(subnets.internetConnectivityEstablished)

    // cfn-lint W3005 reports a DependsOn that a GetAtt already implies. CDK's functions and the waiter state machine
    // depend on their role's construct, so that the role's policy exists before they run; the role itself in that
    // list is the redundant part. Switched off for those resources of this construct only.
    for (const resource of this.node.findAll()) {
      if (CfnResource.isCfnResource(resource) && ['AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine'].includes(resource.cfnResourceType)) {
        resource.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } })
      }
    }
  }
}
