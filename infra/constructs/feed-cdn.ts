/**
 * The CDN in front of the feeds: CloudFront with origin access control on the bucket's publish
 * prefix only (`/feed.xml` → `feeds/feed.xml`), HTTPS, compression, a short cache. `/sources/*`
 * (the per-source feeds, rendered on demand) goes to the API's function URL instead
 * (routeApiPaths); a viewer-request CloudFront Function tells the API the public base URL, which
 * the API function cannot get from its environment (shared/api/cdn.ts).
 */
import { Annotations, Duration, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  CachedMethods,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IFunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PUBLIC_URL_HEADER, SOURCE_FEED_MAX_AGE_SECONDS } from '../../shared/api/cdn';

/** The path pattern served by the API: the per-source feeds (`/sources/<id>.xml|.atom|.json`). */
export const SOURCE_FEEDS_PATH = '/sources/*';
/** The status page's path: rendered by the API on each request (it is not published). */
export const STATUS_PAGE_PATH = '/status.html';

/** Props of the feed CDN. */
export interface FeedCdnProps {
  bucket: IBucket;
  /** The bucket prefix served at the distribution's root, e.g. `feeds/`. */
  publishPrefix: string;
  /** Longest time a feed stays cached (the publisher's objects say max-age=300). */
  maxTtl: Duration;
  /** The configured public URL, when there is one; else the distribution's own domain is the public URL. */
  publicUrl?: string;
}

/** The viewer-request function of `/sources/*`: sets the public base URL header (overwriting any the viewer sent). */
export function publicUrlFunctionCode(publicUrl: string | undefined): string {
  const base = publicUrl !== undefined ? JSON.stringify(publicUrl.replace(/\/+$/, '')) : "'https://' + event.context.distributionDomainName";
  return `function handler(event) {
  var request = event.request;
  request.headers[${JSON.stringify(PUBLIC_URL_HEADER)}] = { value: ${base} };
  return request;
}
`;
}

/** CloudFront serving the published feeds; its domain is the subscribe URL. */
export class FeedCdn extends Construct {
  /** The distribution. */
  readonly distribution: Distribution;
  private readonly props: FeedCdnProps;

  constructor(scope: Construct, id: string, props: FeedCdnProps) {
    super(scope, id);
    this.props = props;
    // The bucket belongs to the stateful stack, whose bucket policy already admits CloudFront on the
    // publish prefix. Referencing it by attributes keeps the origin from editing that policy, which
    // would make the stateful stack depend on this distribution (a cycle between the stacks).
    const origin = Bucket.fromBucketAttributes(this, 'FeedBucket', {
      bucketArn: props.bucket.bucketArn,
      bucketName: props.bucket.bucketName,
      bucketRegionalDomainName: props.bucket.bucketRegionalDomainName,
    });
    const cachePolicy = new CachePolicy(this, 'FeedCache', {
      comment: 'Tributary feeds: short TTL, compressed',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(Math.min(60, props.maxTtl.toSeconds())),
      maxTtl: props.maxTtl,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Tributary published feeds',
      defaultRootObject: 'feed.xml',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(origin, { originPath: `/${props.publishPrefix.replace(/\/+$/, '')}` }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        compress: true,
        cachePolicy,
        // Web feed readers fetch the JSON feed from other origins.
        responseHeadersPolicy: ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS,
      },
    });
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
      'The stateful stack grants CloudFront s3:GetObject on the publish prefix in its own bucket policy.',
    );
    const acknowledgements: [string, string][] = [
      ['AwsSolutions-CFR1', 'No geo restriction: the feeds are public and meant to be read from anywhere.'],
      ['AwsSolutions-CFR2', 'No WAF: the distribution serves a few cached, read-only, public files from S3; a web ACL would cost more than the content is worth. Attach one if abuse shows up.'],
      ['AwsSolutions-CFR3', 'No access logs: the content is public and requests carry no user data; enable standard logging if traffic analysis is needed.'],
      ['AwsSolutions-CFR4', 'The distribution uses the default *.cloudfront.net certificate, with which CloudFront always admits TLSv1 viewers; requiring TLSv1.2 needs a custom domain and certificate. The content is public and read-only.'],
    ];
    for (const [id, reason] of acknowledgements) Validations.of(this.distribution).acknowledge({ id, reason });
  }

  /**
   * Routes `/sources/*` and the status page to the API's function URL: the origin's `max-age` is honoured (up to
   * SOURCE_FEED_MAX_AGE_SECONDS, or maxTtl when longer), compressed, keyed on the path only (no
   * query string, header or cookie), with the public base URL header as the only thing forwarded.
   */
  routeApiPaths(apiUrl: IFunctionUrl): void {
    const maxTtl = Duration.seconds(Math.max(SOURCE_FEED_MAX_AGE_SECONDS, this.props.maxTtl.toSeconds()));
    const cachePolicy = new CachePolicy(this, 'SourceFeedCache', {
      comment: 'Tributary per-source feeds: the API says max-age, compressed, path only',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(Math.min(60, maxTtl.toSeconds())),
      maxTtl,
      queryStringBehavior: CacheQueryStringBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // A function URL answers only to its own Host: forward the public URL header, not the viewer's Host.
    const originRequestPolicy = new OriginRequestPolicy(this, 'SourceFeedOriginRequest', {
      comment: 'Tributary per-source feeds: only the public base URL header',
      headerBehavior: OriginRequestHeaderBehavior.allowList(PUBLIC_URL_HEADER),
      queryStringBehavior: OriginRequestQueryStringBehavior.none(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    const publicUrlFunction = new CloudFrontFunction(this, 'PublicUrlHeader', {
      comment: 'Tributary: tells the API the public base URL of /sources/* requests',
      code: FunctionCode.fromInline(publicUrlFunctionCode(this.props.publicUrl)),
      runtime: FunctionRuntime.JS_2_0,
    });
    const apiOrigin = new FunctionUrlOrigin(apiUrl);
    for (const path of [SOURCE_FEEDS_PATH, STATUS_PAGE_PATH]) {
      this.distribution.addBehavior(path, apiOrigin, {
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        compress: true,
        cachePolicy,
        originRequestPolicy,
        functionAssociations: [{ function: publicUrlFunction, eventType: FunctionEventType.VIEWER_REQUEST }],
        responseHeadersPolicy: ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS,
      });
    }
  }
}
