/**
 * The CDN's second origin: `/sources/*` (per-source feeds, rendered on demand) goes to the API's
 * function URL with its own cache and origin request policies and a viewer-request function that
 * tells the API the public base URL; everything else stays on the bucket. No dependency cycle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnResource } from 'aws-cdk-lib';
import { publicUrlFunctionCode, SOURCE_FEEDS_PATH, STATUS_PAGE_PATH } from '../../infra/constructs/feed-cdn';
import { PUBLIC_URL_HEADER, SOURCE_FEED_MAX_AGE_SECONDS } from '../../shared/api/cdn';
import { buildTestApp, type TestApp } from './app-fixture';

let built: TestApp;
let template: Template;
const ids: Record<string, string> = {};

beforeAll(() => {
  built = buildTestApp({ bundle: false });
  template = Template.fromStack(built.stateless);
  ids.apiFn = built.stateless.getLogicalId(built.stateless.functions.api.fn.node.defaultChild as CfnResource);
});

afterAll(() => built?.dispose());

describe('the CDN in front of the per-source feeds', () => {
  it('routes /sources/* to the API function URL: cached as the API says, compressed, path-only key, the public URL header only', () => {
    const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties.DistributionConfig;
    const api = config.Origins.find((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
    expect(api).toMatchObject({
      DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::Lambda::Url'))[0], 'FunctionUrl'] }] }] },
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only' },
    });
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual([SOURCE_FEEDS_PATH, STATUS_PAGE_PATH]);
    // The status page is not published either: the API renders it, through the same origin and policies.
    const [behavior, status] = config.CacheBehaviors;
    expect({ ...status, PathPattern: SOURCE_FEEDS_PATH }).toEqual(behavior);
    expect(behavior).toMatchObject({ PathPattern: SOURCE_FEEDS_PATH, TargetOriginId: api.Id, Compress: true, ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    expect(behavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.any(String), 'FunctionARN'] } }]);
    const cachePolicy = template.findResources('AWS::CloudFront::CachePolicy')[behavior.CachePolicyId.Ref as string]?.Properties.CachePolicyConfig;
    expect(cachePolicy).toMatchObject({
      MinTTL: 0,
      MaxTTL: SOURCE_FEED_MAX_AGE_SECONDS,
      ParametersInCacheKeyAndForwardedToOrigin: {
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
        QueryStringsConfig: { QueryStringBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'none' },
        CookiesConfig: { CookieBehavior: 'none' },
      },
    });
    const originRequest = template.findResources('AWS::CloudFront::OriginRequestPolicy')[behavior.OriginRequestPolicyId.Ref as string]?.Properties.OriginRequestPolicyConfig;
    expect(originRequest).toMatchObject({ HeadersConfig: { HeaderBehavior: 'whitelist', Headers: [PUBLIC_URL_HEADER] }, QueryStringsConfig: { QueryStringBehavior: 'none' }, CookiesConfig: { CookieBehavior: 'none' } });
    expect(config.DefaultCacheBehavior.TargetOriginId).not.toBe(api.Id);
  });

  it("tells the API the distribution's own domain, or the configured public URL, overwriting what the viewer sent", () => {
    const run = (code: string, host: string) => {
      const handler = new Function(`${code}; return handler;`)() as (e: unknown) => { headers: Record<string, { value: string }> };
      return handler({ context: { distributionDomainName: host }, request: { uri: '/sources/a.xml', headers: { [PUBLIC_URL_HEADER]: { value: 'https://evil.example' } } } }).headers[PUBLIC_URL_HEADER]?.value;
    };
    const [fn] = Object.values(template.findResources('AWS::CloudFront::Function'));
    expect(fn?.Properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    expect(run(fn?.Properties.FunctionCode as string, 'd111.cloudfront.net')).toBe('https://d111.cloudfront.net');
    expect(run(publicUrlFunctionCode('https://feeds.example.org/'), 'd111.cloudfront.net')).toBe('https://feeds.example.org');
  });

  it('makes the distribution depend on the API URL and the API function on nothing of the distribution (a cycle is undeployable)', () => {
    const resources = template.toJSON().Resources as Record<string, { Properties: unknown }>;
    const dist = Object.keys(template.findResources('AWS::CloudFront::Distribution'))[0] as string;
    const url = Object.keys(template.findResources('AWS::Lambda::Url'))[0] as string;
    expect(JSON.stringify(resources[dist]?.Properties)).toContain(`"${url}"`);
    expect(JSON.stringify(resources[ids.apiFn as string]?.Properties)).not.toContain(`"${dist}"`);
  });
});
