import { App } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { buildInfraApp } from '../../infra/app.ts'
import { environments, type Environment } from '../../infra/environments.ts'

export interface SynthesizedEnvironment {
  environment: Environment
  template: Template
  templateFile: string
}

/**
 * Synthesizes the whole CDK app once, as `cdk synth` does (cdk-nag runs and fails the synthesis on an
 * unacknowledged finding), into a temporary directory: one template per environment.
 */
export function synthesize (): { assembly: ReturnType<App['synth']>, stacks: SynthesizedEnvironment[] } {
  const { app } = buildInfraApp(new App())
  const assembly = app.synth()
  const stacks = environments.map(environment => {
    const artifact = assembly.getStackByName(`songs-api-${environment.name}`)
    return { environment, template: Template.fromJSON(artifact.template), templateFile: artifact.templateFullPath }
  })
  return { assembly, stacks }
}

/** A path pattern of CloudFront or the ALB (`*` any characters, `?` one) as a regular expression. */
export function pathPattern (pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')
  return new RegExp(`^${escaped}$`)
}
