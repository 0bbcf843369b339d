/**
 * Least privilege, derived from the code each function runs (shared/store/*): the exact API
 * actions its code path calls, on the exact table, index, object keys and function it touches.
 *
 *   scheduler  sources (S3 GetObject) → states (BatchGetItem) → recent cycles (Query CYCLES) → cycle record (PutItem CYCLES)
 *              → fetch jobs (Invoke of the fetcher, asynchronous = lambda:InvokeFunction on that function only)
 *   fetcher    states/items/fingerprints (BatchGetItem) → raw bodies and captured pages (S3 PutObject raw/*) → story
 *              inbox rows (BatchWriteItem) → items (BatchWriteItem, PutItem conditional, UpdateItem META) → member
 *              rows of merged items (BatchWriteItem) → state (UpdateItem; fingerprints PutItem; feedVersion of other
 *              touched sources, UpdateItem)
 *              → cycle counts (UpdateItem CYCLES); sending a failed job to the dead-letter queue comes with its destination
 *   publisher  story index (ListBucket, GetObject, PutObject, DeleteObject stories/*), inbox rows (Query, BatchWriteItem) → item summaries
 *              (BatchGetItem) → story moves (UpdateItem) and member rows (BatchWriteItem) → sources (GetObject) →
 *              combined newest (GetItem META, Query gsi1) → per-source newest (Query gsi2, BatchGetItem) → status
 *              page (BatchGetItem states, Query CYCLES) → publish manifest (GetObject, PutObject state/<prefix>*) → feeds
 *              (GetObject, PutObject feeds/*; DeleteObject of removed sources' and tags' feeds)
 *   api        feeds and sources (GetObject) → items (GetItem, BatchGetItem, Query gsi1/gsi2), stories (Query STORY#) → states and
 *              cycles (BatchGetItem, Query CYCLES)
 *
 * Feeds are granted by prefix: the publisher writes the combined feed, one feed per tag and per
 * source, and the status page, all under the publish prefix, with keys known only at run time.
 *
 * s3:ListBucket is granted to readers of keys that may be missing: without it S3 answers a missing
 * key with 403 instead of 404, and the code treats only 404 as "not there yet" (first publish,
 * feed not yet published, no sources file).
 */
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { NEWEST_INDEX, SOURCE_INDEX } from '../../shared/store/table';
import { STORIES_PREFIX } from '../../shared/story';
import { MANIFEST_PREFIX } from '../../shared/pipeline/publish-manifest';
import type { FunctionName } from './tributary-function';

/** The resources a function's statements are scoped to. */
export interface AccessTargets {
  tableArn: string;
  bucketArn: string;
  /** The bucket ARN imported by its fixed export name (StatefulStack.bucketArnExportName), for prefix (wildcard) grants. */
  prefixGrantBucketArn: string;
  /** The fetcher function, which the scheduler invokes with fetch jobs. */
  fetcherArn: string;
  sourcesKey: string;
  publishPrefix: string;
  rawPrefix: string;
}

function statement(sid: string, actions: string[], resources: string[]): PolicyStatement {
  return new PolicyStatement({ sid, actions, resources });
}

/** The ARN of one of the table's indexes. */
export function indexArn(tableArn: string, indexName: string): string {
  return `${tableArn}/index/${indexName}`;
}

/** The IAM statements of one function (Lambda's dead-letter sends for the fetcher are added by its on-failure destination). */
export function accessStatements(name: FunctionName, t: AccessTargets): PolicyStatement[] {
  const object = (key: string): string => `${t.bucketArn}/${key}`;
  const feeds = `${t.prefixGrantBucketArn}/${t.publishPrefix}*`;
  const indexes = [indexArn(t.tableArn, NEWEST_INDEX.name), indexArn(t.tableArn, SOURCE_INDEX.name)];
  const listBucket = statement('MissingKeysAre404', ['s3:ListBucket'], [t.bucketArn]);
  switch (name) {
    case 'scheduler':
      return [
        statement('ReadSourceStatesAndCycles', ['dynamodb:BatchGetItem', 'dynamodb:Query'], [t.tableArn]),
        statement('OpenCycle', ['dynamodb:PutItem'], [t.tableArn]),
        statement('ReadSources', ['s3:GetObject'], [object(t.sourcesKey)]),
        listBucket,
        statement('DispatchFetchJobs', ['lambda:InvokeFunction'], [t.fetcherArn]),
      ];
    case 'fetcher':
      return [
        // The story inbox is rows of the table too (store/stories.ts).
        statement('ReadWriteItemsAndStates', ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], [t.tableArn]),
        statement('StoreRawPayloads', ['s3:PutObject'], [`${t.prefixGrantBucketArn}/${t.rawPrefix}*`]),
      ];
    case 'publisher':
      return [
        statement('ReadItemsStatesCycles', ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], [t.tableArn]),
        statement('AssignStories', ['dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'], [t.tableArn]),
        statement('ReadNewestItems', ['dynamodb:Query'], indexes),
        statement('ReadSources', ['s3:GetObject'], [object(t.sourcesKey)]),
        statement('ReadWriteFeeds', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], [feeds]),
        statement('PublishManifest', ['s3:GetObject', 's3:PutObject'], [`${t.prefixGrantBucketArn}/${MANIFEST_PREFIX}${t.publishPrefix}*`]),
        statement('StoryIndex', ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], [`${t.prefixGrantBucketArn}/${STORIES_PREFIX}*`]),
        listBucket,
      ];
    case 'api':
      return [
        statement('ReadItemsStatesCycles', ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], [t.tableArn]),
        statement('ReadNewestItems', ['dynamodb:Query'], indexes),
        statement('ReadSources', ['s3:GetObject'], [object(t.sourcesKey)]),
        statement('ReadFeeds', ['s3:GetObject'], [feeds]),
        listBucket,
      ];
  }
}
