/** The whole deployment on an App: the stateful and stateless stacks, with cdk-nag's AWS Solutions checks at synth. */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext, type TributarySettings } from './settings';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

/** Stack ids (also the CloudFormation stack names). */
export const STACK_IDS = { stateful: 'TributaryStateful', stateless: 'TributaryStateless' } as const;

/** The two stacks and the settings they were built with. */
export interface TributaryStacks {
  settings: TributarySettings;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/**
 * Adds Tributary to an app. The stacks are environment-agnostic (no account or region), so synth
 * never looks anything up: it runs offline and deploys to the CLI's current account and region.
 */
export function addTributary(app: App): TributaryStacks {
  const settings = settingsFromContext(app.node);
  const description = 'Tributary: serverless feed aggregation';
  const stateful = new StatefulStack(app, STACK_IDS.stateful, { settings, description: `${description} (table, bucket)` });
  const stateless = new StatelessStack(app, STACK_IDS.stateless, {
    settings,
    description: `${description} (functions, dead-letter queue, schedules, CDN, API)`,
    table: stateful.table,
    bucket: stateful.bucket,
    bucketArnExportName: stateful.bucketArnExportName,
  });
  stateless.addStackDependency(stateful, 'imports the bucket ARN by export name');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { settings, stateful, stateless };
}
