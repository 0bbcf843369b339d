/**
 * The `clustering` suite: story signatures over conformance/clustering-set/stories.json (our own
 * labelled set). Pairwise figures over all unordered pairs of items: a pair is *labelled* same when
 * both items carry the same `story`; it is *predicted* same when the two share an LSH band key (the
 * only way the store would ever compare them) and `isSameStory` holds. Precision = predicted-and-
 * labelled / predicted; recall = predicted-and-labelled / labelled. Checks: each labelled pair (found
 * or missed) and each hard-negative pair (a same-topic story or a digest against the story it is near).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSameStory, shareBand, similarity, storySignature, type StorySignature } from '../../shared/cluster';
import { REPO_ROOT } from '../corpus';
import { fail, newSuite, pass, type SuiteResult } from '../report';

/** One item of the labelled set. */
export interface ClusteringItem {
  id: string;
  story: string;
  kind: 'version' | 'same-topic' | 'digest';
  variation?: string;
  near?: string | string[];
  title: string;
  text: string;
  lang?: string;
}

/** Pairwise figures of a clustering run. */
export interface PairwiseFigures {
  f1: number;
  precision: number;
  recall: number;
  /** Labelled pairs that share at least one band key (LSH candidate recall). */
  candidateRecall: number;
  /** Mean band keys per item (lookups per new item). */
  keysPerItem: number;
}

/** The suite result with the pairwise figures. */
export type ClusteringSuiteResult = SuiteResult & { rate: number; extra: PairwiseFigures };

/** Targets from the issue. */
const TARGET_PRECISION = 0.98;
const TARGET_RECALL = 0.95;

/** Path of the labelled set. */
export const CLUSTERING_SET = join(REPO_ROOT, 'conformance', 'clustering-set', 'stories.json');

/** Reads the labelled set. */
export function readClusteringSet(path = CLUSTERING_SET): ClusteringItem[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { items: ClusteringItem[] }).items;
}

/** True when `neg` is a hard negative of the story of `item`. */
function isHardNegativeOf(neg: ClusteringItem, item: ClusteringItem): boolean {
  if (neg.kind === 'version' || item.kind !== 'version') return false;
  const near = Array.isArray(neg.near) ? neg.near : neg.near ? [neg.near] : [];
  return near.includes(item.story);
}

/** Runs the suite over the labelled set. */
export function runClusteringSuite(path = CLUSTERING_SET): ClusteringSuiteResult {
  const suite = newSuite('clustering', TARGET_RECALL);
  const items = readClusteringSet(path);
  const started = performance.now();
  const sigs: StorySignature[] = items.map((it) => storySignature(it.title, it.text, it.lang));
  const signMs = (performance.now() - started) / Math.max(1, items.length);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let candidates = 0;
  const missedBy = new Map<string, number>();
  let weakestPositive = { sim: 2, pair: '' };
  let closestNegative = { sim: -1, pair: '' };
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!;
      const b = items[j]!;
      const labelled = a.story === b.story;
      const banded = shareBand(sigs[i]!, sigs[j]!);
      const predicted = banded && isSameStory(sigs[i]!, sigs[j]!);
      if (labelled && banded) candidates += 1;
      const sim = similarity(sigs[i]!, sigs[j]!);
      if (labelled && sim < weakestPositive.sim) weakestPositive = { sim, pair: `${a.id} ~ ${b.id}` };
      if (!labelled && sim > closestNegative.sim) closestNegative = { sim, pair: `${a.id} ~ ${b.id}` };
      const detail = `${a.id} ~ ${b.id}: similarity ${sim.toFixed(2)}${banded ? '' : ', no shared band'}`;
      if (labelled && predicted) {
        tp += 1;
        pass(suite);
      } else if (labelled) {
        fn += 1;
        const v = [a.variation, b.variation].filter((x) => x !== 'original').join('+') || 'original';
        missedBy.set(v, (missedBy.get(v) ?? 0) + 1);
        fail(suite, `missed same story (${v})`, detail);
      } else if (predicted) {
        fp += 1;
        fail(suite, `false match (${a.kind === 'version' ? b.kind : a.kind})`, detail);
      } else if (isHardNegativeOf(a, b) || isHardNegativeOf(b, a)) {
        pass(suite);
      }
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const extra: PairwiseFigures = {
    f1, precision, recall,
    candidateRecall: tp + fn === 0 ? 1 : candidates / (tp + fn),
    keysPerItem: sigs.reduce((n, s) => n + s.bands.length, 0) / Math.max(1, sigs.length),
  };
  const stories = new Set(items.filter((it) => it.kind === 'version').map((it) => it.story)).size;
  suite.notes.push(`${items.length} items: ${stories} stories, ${items.filter((it) => it.kind !== 'version').length} hard negatives; ${tp + fn} labelled pairs`);
  suite.notes.push(JSON.stringify({ f1: round(f1), precision: round(precision), recall: round(recall) }));
  suite.notes.push(`precision ${round(precision)} (target ${TARGET_PRECISION}), recall ${round(recall)} (target ${TARGET_RECALL}), LSH candidate recall ${round(extra.candidateRecall)}, ${extra.keysPerItem.toFixed(1)} band keys per item, ${signMs.toFixed(2)} ms per signature`);
  suite.notes.push(`margin: weakest same-story pair ${weakestPositive.sim.toFixed(2)} (${weakestPositive.pair}); closest different-story pair ${closestNegative.sim.toFixed(2)} (${closestNegative.pair})`);
  if (missedBy.size) suite.notes.push(`missed pairs by variation: ${[...missedBy].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const compared = suite.passed + suite.failed;
  return { ...suite, rate: compared === 0 ? 1 : suite.passed / compared, extra };
}

function round(x: number): number {
  return Number(x.toFixed(4));
}
