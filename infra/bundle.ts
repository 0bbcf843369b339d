/**
 * How a handler is bundled, for deployment (TributaryFunction) and for the benchmark alike: esbuild,
 * ESM for Node 22+, minified, source maps, everything bundled (the AWS SDK too, so the deployed code
 * runs the versions package-lock.json pins), and code splitting, so a module loaded with `import()`
 * (article capture: the DOM and Readability) is a separate chunk read only when first used.
 */
import { buildSync, type Metafile } from 'esbuild';
import { statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Prepended to every output file: CommonJS dependencies bundled into it (sax, htmlparser2, the AWS
 * SDK, …) call `require` for Node built-ins, which an ES module does not have.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __tributaryCreateRequire } from 'node:module'; const require = __tributaryCreateRequire(import.meta.url);";

/** What bundling one handler produced. */
export interface HandlerBundle {
  /** Bytes loaded at cold start: index.mjs and the chunks it imports statically, transitively. */
  entryBytes: number;
  /** Bytes of the chunks loaded only through import() (article capture, rarely used SDK credential providers). */
  chunkBytes: number;
  /** The output files loaded at cold start (metafile paths). */
  startupFiles: string[];
  metafile: Metafile;
}

/** The output files `entry` loads statically (itself included), following import statements only. */
function staticClosure(outputs: Metafile['outputs'], entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of outputs[file]?.imports ?? []) if (imp.kind === 'import-statement' && !imp.external) stack.push(imp.path);
  }
  return seen;
}

/** Bundles functions/<name>/handler.ts into `outdir` (index.mjs, chunks/, source maps). */
export function bundleHandler(repoRoot: string, name: string, outdir: string): HandlerBundle {
  const result = buildSync({
    entryPoints: { index: join(repoRoot, 'functions', name, 'handler.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: repoRoot,
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((file) => file.endsWith('/index.mjs')) as string;
  const startup = staticClosure(outputs, entry);
  let entryBytes = 0;
  let chunkBytes = 0;
  for (const file of Object.keys(outputs)) {
    if (!file.endsWith('.mjs')) continue;
    const bytes = statSync(join(repoRoot, file)).size;
    if (startup.has(file)) entryBytes += bytes;
    else chunkBytes += bytes;
  }
  return { entryBytes, chunkBytes, startupFiles: [...startup], metafile: result.metafile };
}
