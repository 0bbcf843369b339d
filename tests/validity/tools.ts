/**
 * The external validators the validity tests run: jing (RELAX NG, Debian package `jing`) with the
 * RFC 4287 schema, and Debian's python3-feedparser. Missing tools fail the tests with a message
 * naming the package, unless TRIBUTARY_SKIP_VALIDITY=1.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (two folders above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Folder of the shared standards (schemas): $TRIBUTARY_STANDARDS, else `<repo>/../shared/standards`. */
export const STANDARDS_DIR = process.env.TRIBUTARY_STANDARDS ?? resolve(REPO_ROOT, '../shared/standards');
/** The RFC 4287 RELAX NG schema, compact syntax. */
export const ATOM_SCHEMA = join(STANDARDS_DIR, 'atom-rfc4287.rnc');
/** Debian's Python, which has python3-feedparser (a pyenv `python3` on PATH may not). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
/** True when the validity tests are to be skipped rather than fail on missing tools. */
export const SKIP_VALIDITY = process.env.TRIBUTARY_SKIP_VALIDITY === '1';

/** Why the validators cannot run (one line per missing piece), or [] when they all can. */
export async function missingValidators(): Promise<string[]> {
  const missing: string[] = [];
  if (!existsSync(ATOM_SCHEMA)) missing.push(`the Atom schema ${ATOM_SCHEMA} is missing (set TRIBUTARY_STANDARDS to its folder)`);
  await run('jing', ['-h']).catch((err: NodeJS.ErrnoException & { stdout?: string; stderr?: string }) => {
    // jing prints its usage and exits non-zero when given no schema; only ENOENT means it is missing.
    if (err.code === 'ENOENT') missing.push('jing is not installed (apt-get install jing)');
  });
  await run(SYSTEM_PYTHON, ['-c', 'import feedparser']).catch(() => missing.push(`feedparser is not importable by ${SYSTEM_PYTHON} (apt-get install python3-feedparser)`));
  return missing;
}

/** Validates a file against a compact-syntax RELAX NG schema; resolves with jing's messages ('' when valid). */
export async function jing(schema: string, file: string): Promise<string> {
  try {
    await run('jing', ['-c', schema, file]);
    return '';
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    // The Debian wrapper warns about optional jars on stderr; those lines are not validation messages.
    const lines = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('[warning]'));
    return lines.join('\n') || e.message;
  }
}

/** What feedparser made of a feed document. */
export interface FeedparserResult {
  bozo: number;
  bozoException?: string;
  version: string;
  title?: string;
  links: { rel?: string; href?: string }[];
  entries: { id?: string; title?: string; link?: string }[];
}

const FEEDPARSER_SCRIPT = `
import json, sys, feedparser
out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    out.append({
        "bozo": int(d.bozo),
        "bozoException": str(d.get("bozo_exception")) if d.bozo else None,
        "version": d.version,
        "title": d.feed.get("title"),
        "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in d.feed.get("links", [])],
        "entries": [{"id": e.get("id"), "title": e.get("title"), "link": e.get("link")} for e in d.entries],
    })
print(json.dumps(out))
`;

/** Parses feed files with Debian's python3-feedparser. */
export async function feedparser(files: string[]): Promise<FeedparserResult[]> {
  const { stdout } = await run(SYSTEM_PYTHON, ['-c', FEEDPARSER_SCRIPT, ...files], { maxBuffer: 64 * 1024 * 1024 });
  return (JSON.parse(stdout) as (FeedparserResult & { bozoException: string | null })[]).map(({ bozoException, ...rest }) => ({
    ...rest,
    ...(bozoException ? { bozoException } : {}),
  }));
}
