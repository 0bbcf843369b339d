/**
 * The production chain the fetcher runs on a feed body (shared/pipeline/ingest.ts): decodeFeed → parseFeed →
 * normaliseFeed, called directly, stopping before dedupe/store. Returns every stage's output so checks can
 * look at DecodedText and ParsedFeed as well as the ItemDrafts, and reports a failure with its stage.
 */
import { decodeFeed, type DecodedText } from '../shared/decode';
import { TributaryError } from '../shared/errors';
import type { ItemDraft, ParsedFeed } from '../shared/model';
import { normaliseFeed } from '../shared/normalise';
import { parseFeed } from '../shared/parse';

/** One body to run through the chain. */
export interface PipelineTask {
  bytes: Uint8Array;
  /** HTTP Content-Type, when the body came over HTTP. */
  contentType?: string;
  /** The document URL given to the parser (undefined for a bare file). */
  url?: string;
  /** HTTP Content-Location and Content-Language, when the body came over HTTP (as the fetcher passes them). */
  contentLocation?: string;
  contentLanguage?: string;
  /** The feed URL given to normalise (base for links the entry leaves relative). */
  feedUrl: string;
  /** ISO time of the fetch (dates after it are clamped). */
  fetchedAt: string;
}

/** A failure of one stage: whether it was a typed TributaryError and what it said. */
export interface PipelineFailure {
  stage: 'decode' | 'parse' | 'normalise';
  typed: boolean;
  name: string;
  message: string;
}

/** What the chain produced: each stage's output as far as it got, and the failure if one stage threw. */
export interface PipelineOutput {
  decoded?: DecodedText;
  parsed?: ParsedFeed;
  drafts?: ItemDraft[];
  failure?: PipelineFailure;
}

function failure(stage: PipelineFailure['stage'], err: unknown): PipelineFailure {
  const typed = err instanceof TributaryError;
  const name = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? err.message : String(err);
  return { stage, typed, name, message };
}

/** Runs decode → parse → normalise on one body; never throws (a stage's exception becomes `failure`). */
export function runPipeline(task: PipelineTask): PipelineOutput {
  const out: PipelineOutput = {};
  try {
    out.decoded = decodeFeed(task.bytes, task.contentType);
  } catch (err) {
    return { failure: failure('decode', err) };
  }
  try {
    out.parsed = parseFeed(out.decoded.text, {
      ...(task.url === undefined ? {} : { url: task.url }),
      ...(task.contentLocation === undefined ? {} : { contentLocation: task.contentLocation }),
      ...(task.contentLanguage === undefined ? {} : { contentLanguage: task.contentLanguage }),
    });
  } catch (err) {
    return { ...out, failure: failure('parse', err) };
  }
  try {
    out.drafts = normaliseFeed(out.parsed, { sourceId: 'conformance', feedUrl: task.feedUrl, fetchedAt: new Date(task.fetchedAt) });
  } catch (err) {
    return { ...out, failure: failure('normalise', err) };
  }
  return out;
}
