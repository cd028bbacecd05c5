/**
 * What differs between environments: sizes and names. Everything else (scaling targets, probes, cache, alarms)
 * is the same design (design.ts) in both.
 */
export interface Environment {
  name: 'staging' | 'production'
  /**
   * CloudFront's WAF web ACL, certificate and metrics live in us-east-1, so the whole stack does: one region, no
   * cross-region references. The account stays open (environment-agnostic): `cdk synth` needs no credentials.
   */
  region: 'us-east-1'
  availabilityZones: [string, string, string]
  /** CloudFront's origin-facing managed prefix list in this region: the only addresses the ALB accepts. */
  cloudFrontPrefixListId: string
  apiDomain: string
  originDomain: string
  natGateways: number
  task: { cpu: number, memoryMiB: number }
  tasks: { minimum: number, weekendMinimum: number, maximum: number }
  redisNodeType: string
  atlas: { instanceSize: string, maxInstanceSize: string, nodes: number, regionName: string, mongoDbMajorVersion: string }
  logRetentionDays: 30 | 90
}

const US_EAST_1: Pick<Environment, 'region' | 'availabilityZones' | 'cloudFrontPrefixListId'> = {
  region: 'us-east-1',
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  cloudFrontPrefixListId: 'pl-3b927c52'
}

/** The Atlas cluster of both environments differs only in its instance sizes. */
const ATLAS: Omit<Environment['atlas'], 'instanceSize' | 'maxInstanceSize'> = { nodes: 3, regionName: 'US_EAST_1', mongoDbMajorVersion: '7.0' }

export const environments: Environment[] = [
  {
    ...US_EAST_1,
    name: 'staging',
    apiDomain: 'api.staging.example.com',
    originDomain: 'origin.api.staging.example.com',
    natGateways: 1,
    task: { cpu: 512, memoryMiB: 1024 },
    tasks: { minimum: 3, weekendMinimum: 3, maximum: 6 },
    redisNodeType: 'cache.t4g.small',
    atlas: { instanceSize: 'M10', maxInstanceSize: 'M20', ...ATLAS },
    logRetentionDays: 30
  },
  {
    ...US_EAST_1,
    name: 'production',
    apiDomain: 'api.example.com',
    originDomain: 'origin.api.example.com',
    natGateways: 3,
    // 1 vCPU, 2 GB: the task the planning figure of 500 req/s is for (section 3.3).
    task: { cpu: 1024, memoryMiB: 2048 },
    tasks: { minimum: 3, weekendMinimum: 9, maximum: 30 },
    redisNodeType: 'cache.r7g.large',
    atlas: { instanceSize: 'M40', maxInstanceSize: 'M60', ...ATLAS },
    logRetentionDays: 90
  }
]

export function environment (name: string): Environment {
  const found = environments.find(candidate => candidate.name === name)
  if (!found) throw new Error(`unknown environment ${name}; one of ${environments.map(e => e.name).join(', ')}`)
  return found
}
