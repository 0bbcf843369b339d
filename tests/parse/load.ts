/** Reads a fixture from tests/parse/fixtures as text. */
import { readFileSync } from 'node:fs';

/** The UTF-8 text of fixture `name`. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}
