/**
 * The CDN in front of the published feeds: CloudFront with origin access control on the bucket's
 * publish prefix only (`/feed.xml` → `feeds/feed.xml`), HTTPS, compression, a short cache.
 */
import { Annotations, Duration, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  CachedMethods,
  Distribution,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Props of the feed CDN. */
export interface FeedCdnProps {
  bucket: IBucket;
  /** The bucket prefix served at the distribution's root, e.g. `feeds/`. */
  publishPrefix: string;
  /** Longest time a feed stays cached (the publisher's objects say max-age=300). */
  maxTtl: Duration;
}

/** CloudFront serving the published feeds; its domain is the subscribe URL. */
export class FeedCdn extends Construct {
  /** The distribution. */
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: FeedCdnProps) {
    super(scope, id);
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
}
