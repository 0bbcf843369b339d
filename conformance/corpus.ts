/** Locating the external corpora and reading their files (JSON lines, annotated feed headers, folder walks). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder above conformance/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The corpus folder: `--corpus`, else env TRIBUTARY_CORPORA, else ../shared/corpora next to the repo. */
export function locateCorpus(flag: string | undefined, env: Record<string, string | undefined> = process.env): string {
  if (flag) return resolve(flag);
  if (env.TRIBUTARY_CORPORA) return resolve(env.TRIBUTARY_CORPORA);
  return resolve(REPO_ROOT, '..', 'shared', 'corpora');
}

/** True when the corpus folder exists and looks like the expected layout. */
export function corpusPresent(root: string): boolean {
  return existsSync(root) && statSync(root).isDirectory();
}

/** Parses a JSON-lines file into values (blank lines skipped); [] when the file is absent. */
export function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Parses a JSON file; undefined when absent. */
export function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

/** Every file under `dir` (recursively, sorted), as paths relative to `dir`; bounded to `max` files. */
export function listFiles(dir: string, max = 100_000): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (out.length >= max) return;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** HTTP response headers declared by `Header:` lines in a feedparser test file's header comment. */
export function declaredHeaders(bytes: Uint8Array): Record<string, string> {
  // The annotation comment is ASCII and sits near the top; latin1 reads any bytes without failing.
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const comment = /<!--([\s\S]*?)-->/.exec(head)?.[1] ?? '';
  const headers: Record<string, string> = {};
  for (const line of comment.split(/\r?\n/)) {
    const m = /^\s*Header:\s*([^:]+):\s*(.*?)\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) headers[m[1].trim()] = m[2];
  }
  return headers;
}

/** True when bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
