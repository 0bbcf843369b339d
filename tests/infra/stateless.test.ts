/** The stateless stack's template: functions, least-privilege roles, the fetcher's async invoke and DLQ, schedules, CDN, API URL, alarms; cdk-nag clean. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnResource } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../shared/config';
import type { FunctionName } from '../../infra/constructs/tributary-function';
import { buildTestApp, type TestApp } from './app-fixture';
import { allPolicyStatements, roleStatements, type StatementView } from './template-views';

let built: TestApp;
let template: Template;
const ids: Record<string, string> = {};

function logicalId(resource: { node: { defaultChild?: unknown } }): string {
  return built.stateless.getLogicalId(resource.node.defaultChild as CfnResource);
}

beforeAll(() => {
  built = buildTestApp({ bundle: false });
  template = Template.fromStack(built.stateless);
  ids.dlq = logicalId(built.stateless.deadLetterQueue);
  for (const [name, f] of Object.entries(built.stateless.functions)) {
    ids[`${name}Fn`] = logicalId(f.fn);
    ids[`${name}Role`] = logicalId(f.role);
    ids[`${name}Logs`] = logicalId(f.logGroup);
  }
});

afterAll(() => built?.dispose());

const names = (): Record<string, string> => ({ [ids.dlq as string]: 'dlq', [ids.fetcherFn as string]: 'fetcher' });

describe('functions', () => {
  const all: FunctionName[] = ['scheduler', 'fetcher', 'publisher', 'api'];

  it.each(all)('%s runs bundled ESM on arm64 Node.js ≥ 22 with source maps and its own log group', (name) => {
    const fn = template.findResources('AWS::Lambda::Function')[ids[`${name}Fn`] as string];
    expect(fn?.Properties.Runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
    expect(fn?.Properties.Architectures).toEqual(['arm64']);
    expect(fn?.Properties.Handler).toBe('index.handler');
    expect(fn?.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(fn?.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: ids[`${name}Logs`] } });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 } });
    const logs = template.findResources('AWS::Logs::LogGroup')[ids[`${name}Logs`] as string];
    expect(logs?.Properties.RetentionInDays).toBe(30);
  });

  it.each(all)('%s gets exactly the ENV variables of shared/config.ts (the fetcher function only for the scheduler, no local endpoints)', (name) => {
    const vars = template.findResources('AWS::Lambda::Function')[ids[`${name}Fn`] as string]?.Properties.Environment.Variables;
    const expected: string[] = [ENV.table, ENV.bucket, ENV.sourcesKey, ENV.publishPrefix, ENV.allowHosts, ENV.feedTitle, ENV.feedItems, ENV.publicUrl, ENV.fetchIntervalMinutes, ENV.indexShards, ENV.logLevel];
    if (name === 'scheduler') expected.push(ENV.fetcherFunction);
    // The fetcher starts up to 100 requests at once: their DNS lookups need more than libuv's 4 threads.
    if (name === 'fetcher') expected.push('UV_THREADPOOL_SIZE');
    // The distribution depends on the API's function URL, so the API cannot be given its domain (the CDN sends it per request).
    if (name === 'api') expected.splice(expected.indexOf(ENV.publicUrl), 1);
    expect(Object.keys(vars).sort()).toEqual([...expected, 'NODE_OPTIONS'].sort());
    expect(vars).toMatchObject({
      [ENV.sourcesKey]: 'config/sources.opml',
      [ENV.publishPrefix]: 'feeds/',
      [ENV.allowHosts]: '',
      [ENV.feedTitle]: 'Tributary',
      [ENV.feedItems]: '100',
      [ENV.fetchIntervalMinutes]: '15',
      [ENV.indexShards]: '4',
      [ENV.logLevel]: 'INFO',
      [ENV.table]: { 'Fn::ImportValue': expect.stringMatching(/Table.*Ref|Ref.*Table/) },
      [ENV.bucket]: { 'Fn::ImportValue': expect.stringMatching(/Bucket/) },
      ...(name === 'api' ? {} : { [ENV.publicUrl]: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/Distribution/), 'DomainName'] }]] } }),
    });
    if (name === 'scheduler') expect(vars[ENV.fetcherFunction]).toEqual({ Ref: ids.fetcherFn });
    if (name === 'fetcher') expect(Number(vars.UV_THREADPOOL_SIZE)).toBeGreaterThanOrEqual(16);
  });

  it('takes the public URL from context when one is set', () => {
    const custom = buildTestApp({ bundle: false, context: { 'tributary:publicUrl': 'https://feeds.example.org/', 'tributary:feedTitle': 'My feeds' } });
    try {
      const vars = Object.values(Template.fromStack(custom.stateless).findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment.Variables);
      for (const v of vars) expect(v).toMatchObject({ [ENV.publicUrl]: 'https://feeds.example.org', [ENV.feedTitle]: 'My feeds' });
    } finally {
      custom.dispose();
    }
  });
});

describe('least privilege', () => {
  const logs = (name: string): StatementView => ({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`<${ids[`${name}Logs`]}>`] });
  const indexes = ['<table>/index/gsi1', '<table>/index/gsi2'];

  it('scheduler: reads states, recent cycles and the sources file, opens the cycle record, invokes the fetcher only', () => {
    expect(roleStatements(template, ids.schedulerRole as string, names())).toEqual([
      logs('scheduler'),
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:Query'], resources: ['<table>'] },
      { actions: ['dynamodb:PutItem'], resources: ['<table>'] },
      { actions: ['s3:GetObject'], resources: ['<bucket>/config/sources.opml'] },
      { actions: ['s3:ListBucket'], resources: ['<bucket>'] },
      { actions: ['lambda:InvokeFunction'], resources: ['<fetcher>'] },
    ]);
  });

  it('fetcher: reads and writes items and states, writes raw/ payloads, sends failed jobs to the dead-letter queue only', () => {
    expect(roleStatements(template, ids.fetcherRole as string, names())).toEqual([
      logs('fetcher'),
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], resources: ['<table>'] },
      { actions: ['s3:PutObject'], resources: ['<bucket>/raw/*'] },
      { actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], resources: ['<dlq>'] },
    ]);
  });

  it('publisher: reads items, states and cycles, assigns stories, reads sources, reads and writes under feeds/ and stories/ only', () => {
    expect(roleStatements(template, ids.publisherRole as string, names())).toEqual([
      logs('publisher'),
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'], resources: ['<table>'] },
      { actions: ['dynamodb:BatchWriteItem', 'dynamodb:UpdateItem'], resources: ['<table>'] },
      { actions: ['dynamodb:Query'], resources: indexes },
      { actions: ['s3:GetObject'], resources: ['<bucket>/config/sources.opml'] },
      { actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], resources: ['<bucket>/feeds/*'] },
      { actions: ['s3:GetObject', 's3:PutObject'], resources: ['<bucket>/state/feeds/*'] },
      { actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'], resources: ['<bucket>/stories/*'] },
      { actions: ['s3:ListBucket'], resources: ['<bucket>'] },
    ]);
  });

  it('api: only reads', () => {
    expect(roleStatements(template, ids.apiRole as string, names())).toEqual([
      logs('api'),
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'], resources: ['<table>'] },
      { actions: ['dynamodb:Query'], resources: indexes },
      { actions: ['s3:GetObject'], resources: ['<bucket>/config/sources.opml'] },
      { actions: ['s3:GetObject'], resources: ['<bucket>/feeds/*'] },
      { actions: ['s3:ListBucket'], resources: ['<bucket>'] },
    ]);
  });

  it('has no wildcard action and no unscoped resource anywhere, and no managed policies', () => {
    for (const s of allPolicyStatements(template)) {
      for (const action of s.actions) expect(action).not.toMatch(/\*/);
      expect(s.resources).not.toContain('*');
    }
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('fetch jobs', () => {
  it('retries a failed fetcher invocation twice within an hour, then sends it to the encrypted dead-letter queue', () => {
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.fetcherFn },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.dlq, 'Arn'] } } },
    });
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    expect(template.findResources('AWS::SQS::Queue')[ids.dlq as string]?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.resourcePropertiesCountIs('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    }, 1);
  });

  it('gives the fetcher room for one job and reserves no concurrency unless asked', () => {
    const fetcher = template.findResources('AWS::Lambda::Function')[ids.fetcherFn as string];
    expect(fetcher?.Properties.Timeout).toBeGreaterThanOrEqual(120);
    expect(fetcher?.Properties.ReservedConcurrentExecutions).toBeUndefined();
    const custom = buildTestApp({ bundle: false, context: { 'tributary:fetcherReservedConcurrency': 10 } });
    try {
      const fns = Template.fromStack(custom.stateless).findResources('AWS::Lambda::Function');
      expect(fns[custom.stateless.getLogicalId(custom.stateless.functions.fetcher.fn.node.defaultChild as CfnResource)]?.Properties.ReservedConcurrentExecutions).toBe(10);
    } finally {
      custom.dispose();
    }
  });
});

describe('schedules', () => {
  it('run the scheduler and the publisher every 5 minutes with an object event', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    for (const name of ['scheduler', 'publisher']) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [ids[`${name}Fn`], 'Arn'] }, Input: '{}', RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }) }),
      });
    }
  });

  it('take their rates from context', () => {
    const custom = buildTestApp({ bundle: false, context: { 'tributary:scheduleRateMinutes': 10, 'tributary:publishRateMinutes': '15' } });
    try {
      const expressions = Object.values(Template.fromStack(custom.stateless).findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties.ScheduleExpression);
      expect(expressions.sort()).toEqual(['rate(10 minutes)', 'rate(15 minutes)']);
    } finally {
      custom.dispose();
    }
  });
});

describe('CDN and API', () => {
  it('serves the publish prefix through origin access control, HTTPS only, compressed, cached briefly', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }),
    });
    const [dist] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    const config = dist?.Properties.DistributionConfig;
    expect(config.Origins).toHaveLength(2);
    expect(config.Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig)).toMatchObject({
      OriginPath: '/feeds',
      OriginAccessControlId: { 'Fn::GetAtt': [expect.any(String), 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
      DomainName: { 'Fn::ImportValue': expect.stringMatching(/Bucket.*RegionalDomainName/) },
    });
    expect(config.DefaultCacheBehavior).toMatchObject({ Compress: true, ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        MinTTL: 0,
        DefaultTTL: 60,
        MaxTTL: 120,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({ EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true }),
      }),
    });
    template.hasOutput('FeedUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('Distribution'), 'DomainName'] }, '/feed.xml']] } });
  });

  it('puts the API behind a public, read-only function URL', () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [ids.apiFn, 'Arn'] },
      Cors: { AllowMethods: ['GET', 'HEAD'], AllowOrigins: ['*'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE', Principal: '*' });
  });
});

describe('alarms', () => {
  it('fire on any dead-lettered fetch job, on each function error, and on a high source failure rate', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.dlq, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
    for (const name of ['scheduler', 'fetcher', 'publisher', 'api']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids[`${name}Fn`] } }],
        Threshold: 1,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
      });
    }
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: ids.fetcherLogs },
      FilterPattern: '{ $.message = "source failed" }',
      MetricTransformations: [{ MetricNamespace: 'Tributary', MetricName: 'SourcesFailed', MetricValue: '1' }],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: ids.fetcherLogs },
      FilterPattern: '{ $.message = "fetched" }',
      MetricTransformations: [{ MetricNamespace: 'Tributary', MetricName: 'SourcesFetched', MetricValue: '$.sources' }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 50,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(fetched > 0, 100 * FILL(failed, 0) / fetched, 0)' })]),
    });
  });
});

describe('cdk-nag', () => {
  it('AwsSolutions finds nothing unacknowledged in either stack', () => {
    const report = new AwsSolutionsChecks().validateScope(built.app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('leaves no error or warning annotations', () => {
    for (const stack of [built.stateful, built.stateless]) {
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    }
  });

  it('fails synth on a finding nobody acknowledged', () => {
    const custom = buildTestApp({ bundle: false });
    try {
      custom.stateless.functions.api.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
      expect(() => custom.app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
      const report = readFileSync(join(custom.outdir, 'validation-report.json'), 'utf8');
      expect(report).toContain('TributaryStateless/Api/Role/DefaultPolicy/Resource');
    } finally {
      custom.dispose();
    }
  });
});
