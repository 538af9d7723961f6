/**
 * Substring search over Chinese text without a scan: every case's number, title and address are
 * indexed as their character bigrams (井盖破损 → 井盖 盖破 破损) in an FTS5 table (migration 007),
 * which the store fills through triggers with the SQL function registered here. A search for a
 * string of two or more characters first narrows to the cases holding all of its bigrams, then
 * checks the exact substring (LIKE) on those few. Bigrams, not trigrams: most Chinese searches an
 * operator types are two characters (井盖, 占道, 噪音).
 */
import type { Db } from './store';

/** The SQL function the triggers and the backfill call: cityops_bigrams(text) → 'ab bc cd'. */
export const BIGRAMS_FUNCTION = 'cityops_bigrams';

/** Runs of letters and digits (any script); everything else separates them. */
const RUN = /[\p{L}\p{N}]+/gu;

/** The distinct lower-cased bigrams of a text's letter/digit runs, in first-seen order. */
export function bigramList(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.toLowerCase().matchAll(RUN)) {
    const chars = Array.from(m[0]);
    for (let i = 0; i + 1 < chars.length; i++) seen.add(chars[i]! + chars[i + 1]!);
  }
  return [...seen];
}

/** The document indexed for a text: its bigrams separated by spaces (FTS5's unicode61 splits on them). */
export function bigramDocument(text: string): string {
  return bigramList(text).join(' ');
}

/**
 * The FTS5 query narrowing a substring search to the rows holding all of its bigrams, or null
 * when the text has none (one character, or only punctuation): then the search scans.
 */
export function bigramMatch(text: string): string | null {
  const grams = bigramList(text);
  if (grams.length === 0) return null;
  // Only letters and digits: nothing to escape but the quotes FTS5 wants around each term.
  return grams.map((g) => `"${g}"`).join(' AND ');
}

/** Register the store's SQL functions on a connection (before migrations and any write). */
export function registerTextFunctions(db: Db): void {
  db.function(BIGRAMS_FUNCTION, { deterministic: true, varargs: true }, (...args: unknown[]) => bigramDocument(args.map((a) => (typeof a === 'string' ? a : a == null ? '' : String(a))).join(' ')));
}
