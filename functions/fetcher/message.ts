/** Validation of the fetch queue's message body. */
import { EventError } from '../../shared/errors';
import type { SourceMessage } from '../../shared/store/ports';

/** Parses and checks one SQS message body; throws EventError when it is not a SourceMessage. */
export function parseSourceMessage(body: string): SourceMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new EventError('message body is not JSON', { cause: err });
  }
  const source = (value as { source?: Record<string, unknown> } | null)?.source;
  if (!source || typeof source.id !== 'string' || typeof source.url !== 'string' || !source.id || !source.url) {
    throw new EventError('message body has no source with an id and a url');
  }
  const tags = Array.isArray(source.tags) ? source.tags.filter((t): t is string => typeof t === 'string') : [];
  const cycle = (value as { cycle?: unknown }).cycle;
  return {
    ...(typeof cycle === 'string' && cycle ? { cycle } : {}),
    source: {
      id: source.id,
      url: source.url,
      title: typeof source.title === 'string' ? source.title : source.id,
      tags,
      ...(typeof source.siteUrl === 'string' ? { siteUrl: source.siteUrl } : {}),
      ...(source.capture === 'always' || source.capture === 'short' ? { capture: source.capture } : {}),
    },
  };
}
