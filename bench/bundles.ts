/**
 * Handler bundles exactly as deployment makes them (infra/bundle.ts: esbuild, ESM for Node 22+,
 * minified, everything bundled including the AWS SDK, modules loaded with import() split into
 * chunks), their sizes (the entry loaded at cold start, and the on-demand chunks), and the cold
 * import time of each entry in a fresh `node` process (median of several).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleHandler } from '../infra/bundle';

/** One handler's bundle figures. */
export interface BundleFigures {
  name: string;
  /** The entry (index.mjs), loaded at cold start. */
  bytes: number;
  kb: number;
  /** Chunks loaded on demand (e.g. article capture), KB. */
  chunkKb: number;
  coldImportMs: number;
  /** Every cold import measurement, ms. */
  samples: number[];
  /** The largest contributors (npm package, or project folder) and their KB in the bundle, largest first. */
  largest: { name: string; kb: number }[];
}

/** Target: bundle size of a handler, KB. */
export const BUNDLE_TARGET_KB = 1024;
/** Target: cold import of a handler bundle, ms. */
export const COLD_IMPORT_TARGET_MS = 200;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Cold-start bytes by npm package (or top project folder), the six largest. */
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
      const dir = join(outDir, name);
      const bundle = bundleHandler(projectRoot, name, dir);
      const outfile = join(dir, 'index.mjs');
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) samples.push(coldImportOnce(outfile));
      const inputs: Record<string, { bytesInOutput: number }> = {};
      for (const file of bundle.startupFiles) {
        for (const [input, { bytesInOutput }] of Object.entries(bundle.metafile.outputs[file]?.inputs ?? {})) {
          inputs[input] = { bytesInOutput: (inputs[input]?.bytesInOutput ?? 0) + bytesInOutput };
        }
      }
      figures.push({ name, bytes: bundle.entryBytes, kb: bundle.entryBytes / 1024, chunkKb: bundle.chunkBytes / 1024, coldImportMs: median(samples), samples, largest: contributors(inputs) });
    }
    return figures;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
