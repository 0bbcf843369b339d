/**
 * The publish manifest: one JSON object per publish prefix, kept outside the public prefix, saying
 * what the publisher last published — per source the feedVersion its feeds were rendered from, per
 * file the sha256 of the bytes written, per tag the items of its feed — so that a publish in which
 * nothing changed reads no item and GETs no feed file. Written after the files it describes.
 *
 * Versions: 1 also covered the per-source feeds (`feeds/sources/<id>.*`), which version 2 no longer
 * publishes (the API renders them on demand). A version-1 manifest is read as a legacy one: it forces
 * a full, verifying publish, but its file list is kept, so that publish deletes the per-source files
 * it lists. Any other version is treated as missing.
 */
import type { Config } from '../config';
import { TributaryError, PublishError } from '../errors';
import type { Source } from '../model';
import type { BlobStore } from '../store/ports';
import { sha256Hex } from '../ids';

/** Format version; an older manifest means a full publish (see the module comment). */
export const MANIFEST_VERSION = 2;
/** The version whose file list is still honoured (its per-source files are deleted), though its hashes and context are not. */
const LEGACY_VERSION = 1;

/** What the publisher last published under one prefix. */
export interface PublishManifest {
  version: number;
  /** Hash of everything the bytes depend on besides items (settings, hub, the sources list): a change means a full publish. */
  context: string;
  /** When a publish last compared every file with the stored bytes (a verifying full publish). */
  verifiedAt: string;
  /** Items in the combined feed. */
  items: number;
  /** Per source: the feedVersion read (before its items) for the last render of its feeds. */
  sources: Record<string, number>;
  /** Per published key: sha256 (hex) of its bytes. */
  files: Record<string, string>;
  /** Per tag slug: index sort keys (`<sortDate>#<id>`) of the items its feed was made of, newest first. */
  tags: Record<string, string[]>;
}

/** Prefix of the publisher's private bookkeeping in the bucket (outside the publish prefix, so the CDN never serves it). */
export const MANIFEST_PREFIX = 'state/';

/** The manifest's key for a publish prefix: `state/<publish prefix>publish-manifest.json`. */
export function manifestKey(publishPrefix: string): string {
  return `${MANIFEST_PREFIX}${publishPrefix}publish-manifest.json`;
}

/** The context hash: settings that shape the feeds, the hub, and every source's id, title, URLs and tags, in order. */
export function contextHash(config: Config, hub: string | undefined, sources: readonly Source[]): string {
  return sha256Hex(
    JSON.stringify({
      title: config.feedTitle,
      items: config.feedItems,
      publicUrl: config.publicUrl,
      prefix: config.publishPrefix,
      hub: hub ?? null,
      sources: sources.map((s) => [s.id, s.title, s.url, s.siteUrl ?? null, s.tags]),
    }),
  );
}

function isRecordOf(value: unknown, check: (v: unknown) => boolean): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(check);
}

/** True when a parsed value has the manifest's shape, in this version or the legacy one. */
function isManifest(value: unknown): value is PublishManifest {
  const m = value as PublishManifest | null;
  return (
    typeof m === 'object' && m !== null && (m.version === MANIFEST_VERSION || m.version === LEGACY_VERSION) && typeof m.context === 'string' &&
    typeof m.verifiedAt === 'string' && typeof m.items === 'number' &&
    isRecordOf(m.sources, (v) => typeof v === 'number') && isRecordOf(m.files, (v) => typeof v === 'string') &&
    isRecordOf(m.tags, (v) => Array.isArray(v) && v.every((k) => typeof k === 'string'))
  );
}

/**
 * A legacy manifest as this version reads it: no context and no verification time, so the next
 * publish is full and compares every file with the stored bytes; its file list and source versions
 * are kept (the files it lists that are not current are deleted; moved sources are still known).
 */
function upgrade(manifest: PublishManifest): PublishManifest {
  if (manifest.version === MANIFEST_VERSION) return manifest;
  return { ...manifest, version: MANIFEST_VERSION, context: '', verifiedAt: '', tags: {} };
}

/** The stored manifest (a legacy one upgraded); undefined when there is none or it is unreadable (not JSON, unknown version). Storage failures throw. */
export async function readManifest(blobs: BlobStore, key: string): Promise<PublishManifest | undefined> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await blobs.get(key);
  } catch (err) {
    if (err instanceof TributaryError) throw err;
    throw new PublishError(`reading the publish manifest ${key} failed`, { cause: err });
  }
  if (!bytes) return undefined;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return isManifest(parsed) ? upgrade(parsed) : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest's bytes: keys sorted, so that equal manifests serialise equally. */
export function serialiseManifest(manifest: PublishManifest): string {
  const sorted = <T>(record: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify({ ...manifest, sources: sorted(manifest.sources), files: sorted(manifest.files), tags: sorted(manifest.tags) });
}
