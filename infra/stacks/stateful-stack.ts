/**
 * The stateful stack: the single DynamoDB table (built from TABLE_SCHEMA) and the bucket (sources,
 * raw payloads, published feeds). Both are retained when the stack is deleted.
 */
import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  type GlobalSecondaryIndexProps,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
  StorageClass,
  type LifecycleRule,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE_SCHEMA, type GlobalIndexSchema } from '../../shared/store/table';
import type { TributarySettings } from './settings';

/** Props of the stateful stack. */
export interface StatefulStackProps extends StackProps {
  settings: TributarySettings;
}

/** The prefix of raw feed bodies (which hold the raw item HTML) and captured pages (see shared/pipeline). */
export const RAW_PREFIX = 'raw/';

/** The fixed export name of the bucket ARN. */
export function bucketArnExportName(stackName: string): string {
  return `${stackName}-BucketArn`;
}

/**
 * A GSI definition for CDK from the shared schema. CloudFormation cannot change a deployed index's key
 * schema or projection in place ("Cannot update GSI's properties other than Provisioned Throughput"), nor
 * delete and add an index in one update: a stack deployed with gsi1 projecting ALL is moved to the version-only projection
 * in two deploys (one without gsi1 — newest across sources fails meanwhile — then one with it; the index
 * backfills from the table).
 */
export function globalIndexProps(index: GlobalIndexSchema): GlobalSecondaryIndexProps {
  const base = {
    indexName: index.name,
    partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
    sortKey: { name: index.sortKey, type: AttributeType.STRING },
  };
  switch (index.projection.type) {
    case 'ALL':
      return { ...base, projectionType: ProjectionType.ALL };
    case 'KEYS_ONLY':
      return { ...base, projectionType: ProjectionType.KEYS_ONLY };
    case 'INCLUDE':
      return { ...base, projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.nonKeyAttributes] };
  }
}

/** Lifecycle of the bucket: raw payloads age into Standard-IA and expire; old versions and stale uploads are cleaned up. */
export function bucketLifecycle(settings: TributarySettings): LifecycleRule[] {
  const rules: LifecycleRule[] = [
    { id: 'old-versions', noncurrentVersionExpiration: Duration.days(settings.noncurrentVersionDays), abortIncompleteMultipartUploadAfter: Duration.days(7) },
  ];
  // Feeds, the publish manifest and the story objects are derived and rewritten every few minutes: an
  // old version is worth a day at most (the global rule keeps raw payloads' old versions longer).
  for (const [id, prefix] of [['derived-feeds', settings.publishPrefix], ['derived-state', 'state/'], ['derived-stories', 'stories/']] as const) {
    rules.push({ id, prefix, noncurrentVersionExpiration: Duration.days(1) });
  }
  if (settings.rawInfrequentAccessDays > 0 || settings.rawExpirationDays > 0) {
    rules.push({
      id: 'raw-payloads',
      prefix: RAW_PREFIX,
      ...(settings.rawInfrequentAccessDays > 0
        ? { transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(settings.rawInfrequentAccessDays) }] }
        : {}),
      ...(settings.rawExpirationDays > 0 ? { expiration: Duration.days(settings.rawExpirationDays) } : {}),
    });
  }
  return rules;
}

/** The table and the bucket; the stateless stack receives them as props. */
export class StatefulStack extends Stack {
  /** The single table (see shared/store/table.ts). */
  readonly table: Table;
  /** Sources file, raw payloads, published feeds. */
  readonly bucket: Bucket;
  /**
   * The name of an export of the bucket ARN (`<stack>-BucketArn`), for the fetcher's
   * `raw/*` grant: its cdk-nag acknowledgement names the resource, and an automatic export's name
   * carries a hash that would change with the construct tree.
   */
  readonly bucketArnExportName: string;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { settings } = props;
    if (TABLE_SCHEMA.billingMode !== 'PAY_PER_REQUEST') throw new Error(`unsupported billing mode ${TABLE_SCHEMA.billingMode}`);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_SCHEMA.globalIndexes) this.table.addGlobalSecondaryIndex(globalIndexProps(index));

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versioned: the sources OPML is edited by hand and pushed; an overwrite or delete can be undone.
      versioned: true,
      lifecycleRules: bucketLifecycle(settings),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudFront (origin access control) may read the published feeds and nothing else. The
    // distribution lives in the stateless stack; naming its id here would make the two stacks
    // depend on each other, so the condition admits this account's distributions.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudFrontReadsPublishedFeeds',
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${settings.publishPrefix}*`)],
        conditions: {
          StringEquals: { 'AWS:SourceAccount': this.account },
          ArnLike: { 'AWS:SourceArn': `arn:${this.partition}:cloudfront::${this.account}:distribution/*` },
        },
      }),
    );
    this.bucketArnExportName = bucketArnExportName(this.stackName);
    this.exportValue(this.bucket.bucketArn, { name: this.bucketArnExportName });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Server access logs are off: the bucket holds public feed data and raw copies of public feeds; every write comes from the pipeline functions, whose logs record it. Add a log bucket if an audit trail of reads is required.',
    });
  }
}
