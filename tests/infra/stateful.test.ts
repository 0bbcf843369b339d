/** The stateful stack's template: the table matches TABLE_SCHEMA, the bucket is private, encrypted, SSL-only and ages raw payloads out. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NEWEST_INDEX, TABLE_SCHEMA, indexProjection } from '../../shared/store/table';
import { bucketArnExportName } from '../../infra/stacks/stateful-stack';
import { buildTestApp, type TestApp } from './app-fixture';

let built: TestApp;
let template: Template;

beforeAll(() => {
  built = buildTestApp({ bundle: false });
  template = Template.fromStack(built.stateful);
});

afterAll(() => built?.dispose());

describe('table', () => {
  it('has the keys, indexes, TTL and billing of TABLE_SCHEMA, with point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    const [table] = Object.values(template.findResources('AWS::DynamoDB::Table'));
    const props = table?.Properties;
    expect(props.KeySchema).toEqual([
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
    ]);
    expect(props.BillingMode).toBe('PAY_PER_REQUEST');
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true });
    expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(props.DeletionProtectionEnabled).toBe(true);
    const keyNames = new Set([TABLE_SCHEMA.partitionKey, TABLE_SCHEMA.sortKey, ...TABLE_SCHEMA.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
    expect(props.AttributeDefinitions).toHaveLength(keyNames.size);
    for (const name of keyNames) expect(props.AttributeDefinitions).toContainEqual({ AttributeName: name, AttributeType: 'S' });
    expect(props.GlobalSecondaryIndexes).toHaveLength(TABLE_SCHEMA.globalIndexes.length);
    for (const index of TABLE_SCHEMA.globalIndexes) {
      expect(props.GlobalSecondaryIndexes).toContainEqual({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: indexProjection(index),
      });
    }
    // The newest-across-sources index holds keys only: a whole-item copy doubled the write units of every item.
    expect(props.GlobalSecondaryIndexes).toContainEqual(
      expect.objectContaining({ IndexName: NEWEST_INDEX.name, Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['version'] } }),
    );
  });

  it('is retained when the stack goes', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('bucket', () => {
  it('is encrypted, versioned, owner-enforced, blocks all public access and is retained', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
    });
  });

  it('moves raw/ payloads to Standard-IA after 30 days and expires them after 365, and drops old versions', () => {
    const [bucket] = Object.values(template.findResources('AWS::S3::Bucket'));
    const rules = bucket?.Properties.LifecycleConfiguration.Rules as Record<string, unknown>[];
    expect(rules).toContainEqual({
      Id: 'raw-payloads',
      Prefix: 'raw/',
      Status: 'Enabled',
      Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
      ExpirationInDays: 365,
    });
    expect(rules).toContainEqual(expect.objectContaining({ Id: 'old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }));
    for (const prefix of ['feeds/', 'state/', 'stories/']) {
      expect(rules).toContainEqual(expect.objectContaining({ Prefix: prefix, Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 1 } }));
    }
  });

  it('takes the lifecycle from context', () => {
    const custom = buildTestApp({ bundle: false, context: { 'tributary:rawInfrequentAccessDays': 0, 'tributary:rawExpirationDays': 90 } });
    try {
      const [bucket] = Object.values(Template.fromStack(custom.stateful).findResources('AWS::S3::Bucket'));
      expect(bucket?.Properties.LifecycleConfiguration.Rules).toContainEqual({ Id: 'raw-payloads', Prefix: 'raw/', Status: 'Enabled', ExpirationInDays: 90 });
    } finally {
      custom.dispose();
    }
  });

  it('denies plain HTTP and TLS below 1.2, and lets only CloudFront of this account read the publish prefix', () => {
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    const statements = policy?.Properties.PolicyDocument.Statement as Record<string, any>[];
    const denies = statements.filter((s) => s.Effect === 'Deny');
    expect(denies.map((s) => s.Condition)).toEqual(
      expect.arrayContaining([{ Bool: { 'aws:SecureTransport': 'false' } }, { NumericLessThan: { 's3:TlsVersion': 1.2 } }]),
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Sid: 'CloudFrontReadsPublishedFeeds',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/feeds/*']] },
      Condition: { StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });

  it('exports the bucket ARN under a fixed name for the fetcher grant', () => {
    template.hasOutput('*', { Export: { Name: bucketArnExportName('TributaryStateful') } });
  });
});
