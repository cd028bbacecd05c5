import { aws_ec2 as ec2, CfnParameter, type CfnResource } from 'aws-cdk-lib'
import { AdvancedRegionConfigProviderName, CfnCluster, CfnPrivateEndpointAws, CfnPrivateEndpointService, CfnPrivateEndpointServicePropsCloudProvider } from 'awscdk-resources-mongodbatlas'
import { Construct } from 'constructs'
import type { Environment } from '../environments.ts'

/**
 * cfn-lint knows the resource types AWS publishes, not third-party registry types, and reports these as E3006
 * ("does not exist"). The CDK constructs are generated from Atlas's own schemas, so that one check, on these
 * resources only, is switched off; every other resource in the templates is linted in full.
 */
function unknownToCfnLint (resource: CfnResource): void {
  resource.addMetadata('cfn-lint', { config: { ignore_checks: ['E3006'] } })
}

// Atlas PrivateLink: each node of the replica set is reached through the endpoint on its own port in this range.
const PRIVATE_LINK_PORTS = ec2.Port.tcpRange(1024, 65535)

/**
 * MongoDB Atlas (section 3.6) through its CloudFormation registry types (`MongoDB::Atlas::*`, activated in the
 * account with an Atlas API key profile in Secrets Manager): a three-node replica set over three AZs with compute
 * and storage auto-scaling and continuous backup, reached only through AWS PrivateLink — an interface endpoint in
 * the isolated subnets, registered with Atlas. The cluster gets no public access list entry, so it has no public
 * address anyone can use.
 */
export class Atlas extends Construct {
  readonly securityGroup: ec2.SecurityGroup
  readonly cluster: CfnCluster

  constructor (scope: Construct, id: string, props: { environment: Environment, vpc: ec2.IVpc }) {
    super(scope, id)
    const { environment, vpc } = props
    const projectId = new CfnParameter(scope, 'AtlasProjectId', { description: 'Atlas project that holds the cluster', minLength: 24, maxLength: 24 })
    const profile = new CfnParameter(scope, 'AtlasProfile', { description: 'Atlas API key profile (secret cfn/atlas/profile/NAME)', default: 'default' })

    this.cluster = new CfnCluster(this, 'Cluster', {
      projectId: projectId.valueAsString,
      profile: profile.valueAsString,
      name: `songs-api-${environment.name}`,
      clusterType: 'REPLICASET',
      mongoDbMajorVersion: environment.atlas.mongoDbMajorVersion,
      backupEnabled: true,
      pitEnabled: true,
      terminationProtectionEnabled: environment.name === 'production',
      advancedSettings: { minimumEnabledTlsProtocol: 'TLS1_2', javascriptEnabled: false },
      replicationSpecs: [{
        numShards: 1,
        advancedRegionConfigs: [{
          regionName: environment.atlas.regionName,
          providerName: AdvancedRegionConfigProviderName.AWS,
          priority: 7,
          electableSpecs: { instanceSize: environment.atlas.instanceSize, nodeCount: environment.atlas.nodes },
          autoScaling: {
            compute: { enabled: true, scaleDownEnabled: true, minInstanceSize: environment.atlas.instanceSize, maxInstanceSize: environment.atlas.maxInstanceSize },
            diskGb: { enabled: true }
          }
        }]
      }]
    })

    const service = new CfnPrivateEndpointService(this, 'PrivateLinkService', {
      projectId: projectId.valueAsString,
      profile: profile.valueAsString,
      region: environment.region,
      cloudProvider: CfnPrivateEndpointServicePropsCloudProvider.AWS
    })
    this.securityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', { vpc, description: 'Atlas PrivateLink endpoint: reachable from the API tasks only', allowAllOutbound: false })
    const endpoint = new ec2.InterfaceVpcEndpoint(this, 'Endpoint', {
      vpc,
      service: new ec2.InterfaceVpcEndpointService(service.attrEndpointServiceName),
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.securityGroup],
      privateDnsEnabled: false,
      open: false
    })
    const registration = new CfnPrivateEndpointAws(this, 'PrivateLink', {
      projectId: projectId.valueAsString,
      profile: profile.valueAsString,
      endpointServiceId: service.attrId,
      id: endpoint.vpcEndpointId
    })
    for (const resource of [this.cluster, service, registration]) unknownToCfnLint(resource)
  }

  /** Lets the given security group reach the database through PrivateLink. */
  allowFrom (peer: ec2.ISecurityGroup): void {
    this.securityGroup.addIngressRule(peer, PRIVATE_LINK_PORTS, 'API tasks to Atlas over PrivateLink')
  }
}
