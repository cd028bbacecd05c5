import { aws_certificatemanager as acm, aws_ec2 as ec2, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2, aws_s3 as s3, CfnParameter, Duration } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { containerPort, deployment, probes, publicPathPatterns } from '../design.ts'
import type { Environment } from '../environments.ts'
import { problem } from '../../src/lib/problems/problem.ts'

// What the ALB answers for any path it does not forward (`/metrics` among them): the API's own 404 problem.
const NOT_FORWARDED = JSON.stringify(problem(404, 'NOT_FOUND', 'No route answers at this path.'))

/**
 * The Application Load Balancer (sections 2, 4.1): in the public subnets of three AZs, HTTPS only, reachable only
 * from CloudFront's origin-facing addresses. It forwards the public paths to the API tasks and answers everything
 * else itself with a 404, so `/metrics` never leaves the VPC. Targets are healthy when `GET /ready` answers.
 */
export class LoadBalancer extends Construct {
  readonly alb: elbv2.ApplicationLoadBalancer
  readonly listener: elbv2.ApplicationListener

  constructor (scope: Construct, id: string, props: { environment: Environment, vpc: ec2.IVpc, accessLogs: s3.IBucket }) {
    super(scope, id)
    const { environment, vpc, accessLogs } = props
    const certificateArn = new CfnParameter(scope, 'OriginCertificateArn', {
      description: `ACM certificate (this region) for ${environment.originDomain}, the name CloudFront reaches the ALB by`,
      allowedPattern: '^arn:aws:acm:.+'
    })
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc, description: 'ALB: HTTPS from CloudFront only', allowAllOutbound: false })
    securityGroup.addIngressRule(ec2.Peer.prefixList(environment.cloudFrontPrefixListId), ec2.Port.tcp(443), 'CloudFront origin-facing addresses')
    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      securityGroup,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true
    })
    this.alb.logAccessLogs(accessLogs, 'alb')
    this.listener = this.alb.addListener('Https', {
      port: 443,
      certificates: [acm.Certificate.fromCertificateArn(this, 'Certificate', certificateArn.valueAsString)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'application/problem+json', messageBody: NOT_FORWARDED })
    })
  }

  /** Sends the public paths to the service's tasks; returns the target group the scaling policy counts requests on. */
  forwardPublicPaths (service: ecs.FargateService): elbv2.ApplicationTargetGroup {
    const { readiness } = probes
    const targetGroup = new elbv2.ApplicationTargetGroup(this, 'Api', {
      vpc: this.alb.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: containerPort,
      targets: [service],
      deregistrationDelay: Duration.seconds(deployment.deregistrationDelaySeconds),
      healthCheck: {
        path: readiness.path,
        interval: Duration.seconds(readiness.intervalSeconds),
        timeout: Duration.seconds(readiness.timeoutSeconds),
        healthyThresholdCount: readiness.healthyThreshold,
        unhealthyThresholdCount: readiness.unhealthyThreshold,
        healthyHttpCodes: '200'
      }
    })
    publicPathPatterns.forEach((pathPatterns, index) => {
      this.listener.addTargetGroups(`Public${index}`, {
        priority: (index + 1) * 10,
        conditions: [elbv2.ListenerCondition.pathPatterns([...pathPatterns])],
        targetGroups: [targetGroup]
      })
    })
    service.connections.allowFrom(this.alb, ec2.Port.tcp(containerPort), 'ALB to the API tasks')
    return targetGroup
  }
}
