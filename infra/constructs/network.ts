import { aws_ec2 as ec2, aws_logs as logs, type CfnResource, RemovalPolicy } from 'aws-cdk-lib'
import type * as kms from 'aws-cdk-lib/aws-kms'
import { Construct } from 'constructs'
import type { Environment } from '../environments.ts'

/**
 * The VPC over three Availability Zones: public subnets hold only the load balancer and the NAT gateways, the API
 * tasks run in private subnets, Redis and the Atlas PrivateLink endpoint sit in isolated subnets without a route to
 * the internet. Flow logs go to an encrypted log group.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc

  constructor (scope: Construct, id: string, props: { environment: Environment, key: kms.IKey }) {
    super(scope, id)
    const { environment, key } = props
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      availabilityZones: environment.availabilityZones,
      natGateways: environment.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }
      ],
      restrictDefaultSecurityGroup: false
    })
    // cfn-lint W3010 warns about AZ names written into a template. They are named on purpose: the stack synthesizes
    // without an account or lookups, which would otherwise leave only two AZs, and all three of the region's are used.
    for (const subnet of [...this.vpc.publicSubnets, ...this.vpc.privateSubnets, ...this.vpc.isolatedSubnets]) {
      (subnet.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3010'] } })
    }
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: environment.logRetentionDays,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN
    })
    this.vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) })
  }
}
