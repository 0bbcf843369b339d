/**
 * One pipeline function: a NodejsFunction bundled locally by esbuild (ESM, minified, source maps,
 * AWS SDK bundled), its own role (only its log group; callers add exactly what the code uses),
 * a log group with retention, and an alarm on its errors.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The repository root (where package.json and package-lock.json live). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Lambda runtime of every function (the newest Node.js Lambda offers; the bundle targets node22 syntax). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/**
 * Prepended to the ESM bundle: CommonJS dependencies bundled into it (sax, htmlparser2, the AWS SDK, …)
 * call `require` for Node built-ins, which an ES module does not have.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __tributaryCreateRequire } from 'node:module'; const require = __tributaryCreateRequire(import.meta.url);";

/** The pipeline functions, by the folder of their handler under functions/. */
export type FunctionName = 'scheduler' | 'fetcher' | 'publisher' | 'api';

/** Props of a pipeline function. */
export interface TributaryFunctionProps {
  name: FunctionName;
  description: string;
  environment: Record<string, string>;
  timeout: Duration;
  memorySize: number;
  logRetention: RetentionDays;
  alarmTopic: ITopic;
}

/** A bundled handler from functions/<name>/handler.ts with its role, log group and errors alarm. */
export class TributaryFunction extends Construct {
  /** The Lambda function. */
  readonly fn: NodejsFunction;
  /** Its execution role (log writes only, until the caller grants more). */
  readonly role: Role;
  /** Its log group (retention set, removed with the stack). */
  readonly logGroup: LogGroup;
  /** Fires when an invocation fails. */
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: TributaryFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Tributary ${props.name}: only what functions/${props.name} uses`,
    });
    this.logGroup.grantWrite(this.role);
    this.fn = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: join(REPO_ROOT, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too, so the deployed code runs the versions package-lock.json pins.
        externalModules: [],
        // The esbuild binary is the project's own (npx --no-install); keep npm from reaching the registry.
        environment: { npm_config_offline: 'true', npm_config_update_notifier: 'false' },
      },
    });
    this.errorsAlarm = new Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `Tributary ${props.name}: an invocation failed (Lambda Errors ≥ 1 in 5 minutes)`,
      metric: this.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.errorsAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
