import { App } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { buildInfraApp } from '../../infra/app.ts'
import { environments, type Environment } from '../../infra/environments.ts'
import type { SongsApiStack } from '../../infra/songs-api-stack.ts'

export interface SynthesizedEnvironment {
  environment: Environment
  stack: SongsApiStack
  template: Template
}

/**
 * Synthesizes the whole CDK app once, as `cdk synth` does (cdk-nag runs and fails the synthesis on an
 * unacknowledged finding), into a temporary directory: one template per environment, beside cdk-nag's report.
 */
export function synthesize (): { directory: string, stacks: SynthesizedEnvironment[] } {
  const { app, stacks } = buildInfraApp(new App())
  const assembly = app.synth()
  return {
    directory: assembly.directory,
    stacks: stacks.map((stack, index) => ({ environment: environments[index]!, stack, template: Template.fromJSON(assembly.getStackByName(stack.stackName).template) }))
  }
}

/** A path pattern of CloudFront or the ALB (`*` any characters, `?` one) as a regular expression. */
export function pathPattern (pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')
  return new RegExp(`^${escaped}$`)
}
