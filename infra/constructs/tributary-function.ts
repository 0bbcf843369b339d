/**
 * One pipeline function: its handler bundled locally by esbuild (infra/bundle.ts: ESM, minified, source maps, split,
 * AWS SDK bundled), its own role (only its log group; callers add exactly what the code uses),
 * a log group with retention, and an alarm on its errors.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { bundleHandler } from '../bundle';

/** The repository root (where package.json and package-lock.json live). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Lambda runtime of every function (the newest Node.js Lambda offers; the bundle targets node22 syntax). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** The pipeline functions, by the folder of their handler under functions/. */
export type FunctionName = 'scheduler' | 'fetcher' | 'publisher' | 'api';

/** Props of a pipeline function. */
export interface TributaryFunctionProps {
  name: FunctionName;
  description: string;
  environment: Record<string, string>;
  timeout: Duration;
  memorySize: number;
  /** Reserved concurrency (at most this many instances at once); unset: the account's pool. */
  reservedConcurrency?: number;
  logRetention: RetentionDays;
  alarmTopic: ITopic;
}

/** A bundled handler from functions/<name>/handler.ts with its role, log group and errors alarm. */
export class TributaryFunction extends Construct {
  /** The Lambda function. */
  readonly fn: LambdaFunction;
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
    this.fn = new LambdaFunction(this, 'Function', {
      description: props.description,
      // Bundled locally at synth (infra/bundle.ts); the asset is hashed by its output, so an unchanged
      // bundle is not redeployed. The Docker image is never used: local bundling either succeeds or throws.
      code: Code.fromAsset(join(REPO_ROOT, 'functions', props.name), {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
          local: {
            tryBundle(outputDir: string): boolean {
              bundleHandler(REPO_ROOT, props.name, outputDir);
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
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
