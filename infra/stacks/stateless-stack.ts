/**
 * The stateless stack: the four functions, the fetcher's asynchronous-invoke settings and its
 * dead-letter queue, the EventBridge schedules, the CDN for the published feeds, the API's function
 * URL and the alarms. It receives the table and bucket of the stateful stack as typed props.
 */
import { CfnOutput, Duration, Fn, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, HttpMethod, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import { MANIFEST_PREFIX } from '../../shared/pipeline/publish-manifest';
import { STORIES_PREFIX, STORY_INDEX_PREFIX } from '../../shared/story';
import { accessStatements } from '../constructs/access';
import { FeedCdn } from '../constructs/feed-cdn';
import { PipelineAlarms } from '../constructs/pipeline-alarms';
import { TributaryFunction, type FunctionName } from '../constructs/tributary-function';
import type { TributarySettings } from './settings';
import { RAW_PREFIX } from './stateful-stack';
import { FETCHER_THREADPOOL_SIZE, FUNCTION_MEMORY_MB } from '../function-sizes';

/** Props of the stateless stack: the stateful resources and the settings. */
export interface StatelessStackProps extends StackProps {
  table: ITable;
  bucket: IBucket;
  /** The fixed export name of the bucket ARN (StatefulStack.bucketArnExportName). */
  bucketArnExportName: string;
  settings: TributarySettings;
}

/** Lambda's retries of a fetch job whose invocation failed, before it goes to the dead-letter queue. */
export const FETCH_JOB_RETRIES = 2;
/** Oldest a fetch job may get (waiting, throttled or between retries) before it goes to the dead-letter queue. */
export const FETCH_JOB_MAX_AGE = Duration.hours(1);

/** The environment every function gets, by the names in shared/config.ts ENV (endpoints stay unset in AWS). */
export function functionEnvironment(
  settings: TributarySettings,
  resources: { tableName: string; bucketName: string; publicUrl: string },
): Record<string, string> {
  return {
    [ENV.table]: resources.tableName,
    [ENV.bucket]: resources.bucketName,
    [ENV.sourcesKey]: settings.sourcesKey,
    [ENV.publishPrefix]: settings.publishPrefix,
    [ENV.allowHosts]: settings.allowHosts.join(','),
    [ENV.feedTitle]: settings.feedTitle,
    [ENV.feedItems]: String(settings.feedItems),
    [ENV.publicUrl]: resources.publicUrl,
    [ENV.fetchIntervalMinutes]: String(settings.fetchIntervalMinutes),
    [ENV.indexShards]: String(settings.indexShards),
    [ENV.logLevel]: settings.logLevel,
  };
}

/** Functions, the fetch jobs' dead-letter queue, schedules, CDN, API URL and alarms. */
export class StatelessStack extends Stack {
  /** The pipeline functions by name. */
  readonly functions: Record<FunctionName, TributaryFunction>;
  /** Fetch jobs whose invocation failed every attempt or grew too old (no consumer: read it by hand). */
  readonly deadLetterQueue: Queue;
  /** The CDN serving the published feeds. */
  readonly cdn: FeedCdn;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings, table, bucket } = props;

    const alarmTopic = new Topic(this, 'AlarmTopic', { displayName: 'Tributary alarms', enforceSSL: true });
    if (settings.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(settings.alarmEmail));
    Validations.of(alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason: 'Alarm notifications carry only alarm names and states. CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed key would cost more than the data is worth.',
    });

    this.deadLetterQueue = new Queue(this, 'FetchDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: "This queue is itself a dead-letter queue: the on-failure destination of the fetcher's asynchronous invocations." });
    const fetcherTimeout = Duration.seconds(settings.fetcherTimeoutSeconds);

    this.cdn = new FeedCdn(this, 'FeedCdn', {
      bucket,
      publishPrefix: settings.publishPrefix,
      maxTtl: Duration.seconds(settings.cdnMaxTtlSeconds),
      ...(settings.publicUrl !== undefined ? { publicUrl: settings.publicUrl } : {}),
    });
    // The functions depend on the distribution (its domain); the distribution depends on the API's
    // function URL (`/sources/*`), so the API gets no distribution domain: the CDN tells it (shared/api/cdn.ts).
    const publicUrl = settings.publicUrl ?? `https://${this.cdn.distribution.distributionDomainName}`;
    const environment = functionEnvironment(settings, { tableName: table.tableName, bucketName: bucket.bucketName, publicUrl });
    const common = { logRetention: settings.logRetentionDays, alarmTopic };
    const fetcher = new TributaryFunction(this, 'Fetcher', {
      ...common,
      name: 'fetcher',
      description: 'Tributary: fetches, parses, normalises, dedupes and stores one job of sources',
      environment: { ...environment, UV_THREADPOOL_SIZE: String(FETCHER_THREADPOOL_SIZE) },
      timeout: fetcherTimeout,
      memorySize: FUNCTION_MEMORY_MB.fetcher,
      ...(settings.fetcherReservedConcurrency > 0 ? { reservedConcurrency: settings.fetcherReservedConcurrency } : {}),
    });
    this.functions = {
      scheduler: new TributaryFunction(this, 'Scheduler', {
        ...common,
        name: 'scheduler',
        description: 'Tributary: dispatches the sources that are due to the fetcher, in jobs',
        environment: { ...environment, [ENV.fetcherFunction]: fetcher.fn.functionName },
        timeout: Duration.seconds(60),
        memorySize: FUNCTION_MEMORY_MB.scheduler,
      }),
      fetcher,
      publisher: new TributaryFunction(this, 'Publisher', {
        ...common,
        name: 'publisher',
        description: 'Tributary: assigns stories, renders the feeds into the bucket',
        environment,
        // Story assignment after a cold start of many sources reads a large inbox; one run at a time
        // keeps a single story assigner and a single writer of the publish manifest.
        timeout: Duration.seconds(300),
        memorySize: FUNCTION_MEMORY_MB.publisher,
        reservedConcurrency: 1,
      }),
      api: new TributaryFunction(this, 'Api', {
        ...common,
        name: 'api',
        description: 'Tributary: read-only HTTP API',
        environment: settings.publicUrl !== undefined ? environment : Object.fromEntries(Object.entries(environment).filter(([name]) => name !== ENV.publicUrl)),
        timeout: Duration.seconds(15),
        memorySize: FUNCTION_MEMORY_MB.api,
      }),
    };
    const targets = {
      tableArn: table.tableArn,
      bucketArn: bucket.bucketArn,
      prefixGrantBucketArn: Fn.importValue(props.bucketArnExportName),
      fetcherArn: fetcher.fn.functionArn,
      sourcesKey: settings.sourcesKey,
      publishPrefix: settings.publishPrefix,
      rawPrefix: RAW_PREFIX,
    };
    for (const [name, fn] of Object.entries(this.functions) as [FunctionName, TributaryFunction][]) {
      for (const statement of accessStatements(name, targets)) fn.role.addToPrincipalPolicy(statement);
    }
    Validations.of(this.functions.fetcher.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${props.bucketArnExportName}/${RAW_PREFIX}*]`,
      reason: `The fetcher writes content-addressed raw payloads (${RAW_PREFIX}feeds/<source>/<sha256>.gz, ${RAW_PREFIX}items/<source>/<sha256>.gz) whose keys are known only at run time; the grant is PutObject only, on the ${RAW_PREFIX} prefix only.`,
    });
    Validations.of(this.functions.publisher.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${props.bucketArnExportName}/${STORIES_PREFIX}*]`,
      reason: `The publisher assigns stories: it keeps the story index (${STORY_INDEX_PREFIX}<time>-<kind>-<hash>.json.gz, compacted by deleting old objects) and moves unreadable objects to ${STORIES_PREFIX}rejected/; Get, Put and DeleteObject on ${STORIES_PREFIX} only.`,
    });
    Validations.of(this.functions.publisher.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${props.bucketArnExportName}/${MANIFEST_PREFIX}${settings.publishPrefix}*]`,
      reason: `The publish manifest (${MANIFEST_PREFIX}${settings.publishPrefix}publish-manifest.json) lives outside the CDN's prefix; its key is derived from the publish prefix at run time. Get and PutObject on that prefix only.`,
    });
    for (const name of ['publisher', 'api'] as const) {
      Validations.of(this.functions[name].role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${props.bucketArnExportName}/${settings.publishPrefix}*]`,
        reason: `Published feeds live under ${settings.publishPrefix} with keys known only at run time (combined feed, one per tag and per source, status page); the ${name} gets ${name === 'api' ? 'GetObject' : 'GetObject, PutObject and DeleteObject (the feeds of removed sources and tags)'} on that prefix only.`,
      });
    }

    // A failed fetch job (the invocation threw or timed out) is retried by Lambda, then kept in the
    // dead-letter queue; a source's own failure never fails the job (its state records it).
    fetcher.fn.configureAsyncInvoke({
      retryAttempts: FETCH_JOB_RETRIES,
      maxEventAge: FETCH_JOB_MAX_AGE,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    // The publisher runs on its own schedule rather than after each fetch cycle: a cycle has no
    // single end (batches finish independently), publishing is cheap when nothing changed (it
    // compares bytes before writing), and a stuck fetch can never hold the feed back.
    const scheduleOf = (id: string, fn: TributaryFunction, minutes: number, description: string): Schedule => {
      const role = new Role(this, `${id}Role`, { assumedBy: new ServicePrincipal('scheduler.amazonaws.com'), description: `${description}: invoke only` });
      const schedule = new Schedule(this, id, {
        description,
        schedule: ScheduleExpression.rate(Duration.minutes(minutes)),
        target: new LambdaInvoke(fn.fn, {
          role,
          input: ScheduleTargetInput.fromObject({}),
          retryAttempts: 2,
          maxEventAge: Duration.minutes(Math.max(1, minutes)),
        }),
      });
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.fn.node.defaultChild as CfnFunction)}.Arn>:*]`,
        reason: 'CDK grants lambda:InvokeFunction on the function and on its qualified ARNs (versions and aliases of this one function); the action is the only one granted.',
      });
      return schedule;
    };
    scheduleOf('SchedulerSchedule', this.functions.scheduler, settings.scheduleRateMinutes, 'Tributary: dispatch due sources');
    scheduleOf('PublisherSchedule', this.functions.publisher, settings.publishRateMinutes, 'Tributary: publish the combined feed');

    const apiUrl = this.functions.api.fn.addFunctionUrl({
      // Public on purpose: the API only reads public data (see infra/README.md).
      authType: FunctionUrlAuthType.NONE,
      cors: { allowedOrigins: ['*'], allowedMethods: [HttpMethod.GET, HttpMethod.HEAD] },
    });
    this.cdn.routeApiPaths(apiUrl);

    new PipelineAlarms(this, 'Alarms', {
      deadLetterQueue: this.deadLetterQueue,
      fetcherLogGroup: this.functions.fetcher.logGroup,
      sourceFailurePercent: settings.sourceFailureAlarmPercent,
      alarmTopic,
    });

    new CfnOutput(this, 'FeedUrl', { description: 'Subscribe URL of the combined feed (RSS; also /feed.atom, /feed.json)', value: `${publicUrl}/feed.xml` });
    new CfnOutput(this, 'DistributionDomain', { description: 'CloudFront domain serving the feeds', value: this.cdn.distribution.distributionDomainName });
    new CfnOutput(this, 'ApiUrl', { description: 'Read-only API (function URL)', value: apiUrl.url });
    new CfnOutput(this, 'FetchDeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
  }
}
