/**
 * Handler bundles as a Lambda build makes them (esbuild: platform node, target node22, ESM with a
 * createRequire banner, minified, everything bundled including the AWS SDK), their sizes, and the
 * cold import time of each bundle in a fresh `node` process (median of several).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** One handler's bundle figures. */
export interface BundleFigures {
  name: string;
  bytes: number;
  kb: number;
  coldImportMs: number;
  /** Every cold import measurement, ms. */
  samples: number[];
  /** The largest contributors (npm package, or project folder) and their KB in the bundle, largest first. */
  largest: { name: string; kb: number }[];
}

const BANNER = "import { createRequire as __tributaryCreateRequire } from 'module'; const require = __tributaryCreateRequire(import.meta.url);";

/** Target: bundle size of a handler, KB. */
export const BUNDLE_TARGET_KB = 1024;
/** Target: cold import of a handler bundle, ms. */
export const COLD_IMPORT_TARGET_MS = 200;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Bundle bytes by npm package (or top project folder), the six largest. */
function contributors(inputs: Record<string, { bytesInOutput: number }>): { name: string; kb: number }[] {
  const sizes = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split('/').slice(0, 2).join('/');
    sizes.set(pkg, (sizes.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([name, bytes]) => ({ name, kb: bytes / 1024 }));
}

/** The import time of a module in a fresh node process, measured inside it (startup excluded). */
function coldImportOnce(file: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', TRIBUTARY_LOG_LEVEL: 'SILENT', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const ms = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(ms)) throw new Error(`importing ${file} failed: ${child.stderr.split('\n').slice(0, 3).join(' ')}`);
  return ms;
}

/** Bundles every functions/<name>/handler.ts and measures size and cold import (`runs` imports each). */
export async function measureBundles(projectRoot: string, runs = 5): Promise<BundleFigures[]> {
  const functionsDir = join(projectRoot, 'functions');
  const names = (await readdir(functionsDir)).filter((n) => existsSync(join(functionsDir, n, 'handler.ts'))).sort();
  const outDir = await mkdtemp(join(tmpdir(), 'tributary-bundles-'));
  try {
    const figures: BundleFigures[] = [];
    for (const name of names) {
      const outfile = join(outDir, name, 'index.mjs');
      const result = await build({
        metafile: true,
        entryPoints: [join(functionsDir, name, 'handler.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'esm',
        minify: true,
        banner: { js: BANNER },
        logLevel: 'silent',
      });
      const bytes = (await stat(outfile)).size;
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) samples.push(coldImportOnce(outfile));
      const output = Object.values(result.metafile.outputs)[0];
      figures.push({ name, bytes, kb: bytes / 1024, coldImportMs: median(samples), samples, largest: contributors(output?.inputs ?? {}) });
    }
    return figures;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
