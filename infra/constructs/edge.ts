import { aws_certificatemanager as acm, aws_cloudfront as cloudfront, aws_cloudfront_origins as origins, aws_s3 as s3, aws_wafv2 as wafv2, CfnParameter, Duration, Stack, Validations } from 'aws-cdk-lib'
import { Construct } from 'constructs'
import { cachedRoutes, edgeMaxTtlSeconds, uncachedPathPatterns, waf } from '../design.ts'
import type { Environment } from '../environments.ts'

// Viewer request, on every behaviour: CloudFront's own request id as `x-request-id` when the client sent none (so
// it shows in the edge logs and the API's), and `message` lower-cased so `Alabama` and `alabama` share an entry.
const VIEWER_REQUEST = `function handler(event) {
  var request = event.request
  if (!request.headers['x-request-id']) request.headers['x-request-id'] = { value: event.context.requestId }
  var message = request.querystring.message
  if (message && !message.multiValue) message.value = message.value.toLowerCase()
  return request
}`

/**
 * CloudFront with AWS WAF in front of the ALB (sections 1–3.2). Cached routes keep the origin's `Cache-Control`
 * (no default TTL, so an answer without one is not stored) and key only on the query strings the route reads;
 * everything else — `POST /songs/rating`, the account routes, unknown paths — is never cached and reaches the
 * origin with every header, `Authorization` included. WAF for CloudFront must be created in us-east-1: the stack
 * is pinned there (environments.ts).
 */
export class Edge extends Construct {
  readonly distribution: cloudfront.Distribution
  readonly webAcl: wafv2.CfnWebACL

  constructor (scope: Construct, id: string, props: { environment: Environment, accessLogs: s3.IBucket }) {
    super(scope, id)
    const { environment, accessLogs } = props
    if (Stack.of(this).region !== 'us-east-1') throw new Error('a CLOUDFRONT-scope web ACL can only be created in us-east-1')
    const certificateArn = new CfnParameter(scope, 'EdgeCertificateArn', {
      description: `ACM certificate in us-east-1 for ${environment.apiDomain}`,
      allowedPattern: '^arn:aws:acm:us-east-1:.+'
    })
    this.webAcl = this.webAclFor(environment)

    const origin = new origins.HttpOrigin(environment.originDomain, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2]
    })
    const viewerRequest = new cloudfront.Function(this, 'ViewerRequest', {
      code: cloudfront.FunctionCode.fromInline(VIEWER_REQUEST),
      runtime: cloudfront.FunctionRuntime.JS_2_0
    })
    const common = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      functionAssociations: [{ function: viewerRequest, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }]
    }
    const uncached: cloudfront.BehaviorOptions = {
      ...common,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER
    }
    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {}
    for (const pathPattern of uncachedPathPatterns) additionalBehaviors[pathPattern] = uncached
    for (const route of cachedRoutes) {
      additionalBehaviors[route.pathPattern] = {
        ...common,
        // `/songs` also takes writes (with `Authorization`, in its key); the others are read-only.
        allowedMethods: route.authorizationInKey ? cloudfront.AllowedMethods.ALLOW_ALL : cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachePolicy: new cloudfront.CachePolicy(this, `Cache${route.pathPattern.replaceAll(/[^A-Za-z]/g, '')}`, {
          comment: `${route.route}: origin Cache-Control, query strings ${route.queryStrings.join(', ') || 'none'}`,
          minTtl: Duration.seconds(0),
          defaultTtl: Duration.seconds(0),
          maxTtl: Duration.seconds(edgeMaxTtlSeconds),
          queryStringBehavior: route.queryStrings.length > 0 ? cloudfront.CacheQueryStringBehavior.allowList(...route.queryStrings) : cloudfront.CacheQueryStringBehavior.none(),
          headerBehavior: route.authorizationInKey ? cloudfront.CacheHeaderBehavior.allowList('Authorization') : cloudfront.CacheHeaderBehavior.none(),
          cookieBehavior: cloudfront.CacheCookieBehavior.none(),
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true
        })
      }
    }

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `songs-api ${environment.name}`,
      domainNames: [environment.apiDomain],
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', certificateArn.valueAsString),
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      webAclId: this.webAcl.attrArn,
      enableLogging: true,
      logBucket: accessLogs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: uncached,
      additionalBehaviors
    })
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'The catalog is for learners everywhere; no country is to be blocked, and abuse is handled by the WAF rules, not by geography'
    })
    // Additional metrics: the cache hit rate the edge alarm watches.
    new cloudfront.CfnMonitoringSubscription(this, 'Metrics', { // eslint-disable-line no-new
      distributionId: this.distribution.distributionId,
      monitoringSubscription: { realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: 'Enabled' } }
    })
  }

  private webAclFor (environment: Environment): wafv2.CfnWebACL {
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName })
    const managed = waf.managedRuleGroups.map((name, index): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority: index + 1,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name)
    }))
    return new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `songs-api-${environment.name}`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`songs-api-${environment.name}`),
      rules: [
        {
          name: 'RatePerIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: waf.rateLimitPer5Minutes, evaluationWindowSec: 300, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RatePerIp')
        },
        ...managed
      ]
    })
  }
}
