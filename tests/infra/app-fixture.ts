/** Builds the Tributary CDK app as `npx cdk synth` would (cdk.json's context), into a private output folder. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { REPO_ROOT } from '../../infra/constructs/tributary-function';
import { addTributary, type TributaryStacks } from '../../infra/stacks/tributary';

/** The `context` of cdk.json (the settings and flags the CLI passes to the app). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** An app built for a test, with its output folder. */
export interface TestApp extends TributaryStacks {
  app: App;
  outdir: string;
  /** Removes the output folder. */
  dispose(): void;
}

/**
 * Builds the app with cdk.json's context plus `context`. With `bundle: false` esbuild does not run
 * (CDK's `aws:cdk:bundling-stacks`), which is enough for template assertions and much faster.
 */
export function buildTestApp(options: { bundle: boolean; context?: Record<string, unknown> }): TestApp {
  const outdir = mkdtempSync(join(tmpdir(), 'tributary-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJsonContext(),
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const stacks = addTributary(app);
  return { ...stacks, app, outdir, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}
