#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx tributary` works in the repo without a build step.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const tsx = require.resolve('tsx/cli');
const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const result = spawnSync(process.execPath, [tsx, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
  // The SDK warns on Node 20 that future versions need Node 22; the code runs on both.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
});
process.exit(result.status ?? 1);
