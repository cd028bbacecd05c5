import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { environments } from './environments.ts'
import { SongsApiStack } from './songs-api-stack.ts'

/**
 * The CDK app: one stack per environment, each checked by cdk-nag's AwsSolutions pack at synthesis, so an
 * unacknowledged finding fails `cdk synth`. Every acknowledgement sits beside its resource, with the reason.
 */
export function buildInfraApp (app = new App()): { app: App, stacks: SongsApiStack[] } {
  const stacks = environments.map(environment => new SongsApiStack(app, `songs-api-${environment.name}`, {
    env: { region: environment.region },
    environment,
    description: `songs-api ${environment.name}: CloudFront, WAF, ALB, ECS Fargate, ElastiCache, Atlas over PrivateLink`
  }))
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }))
  return { app, stacks }
}
