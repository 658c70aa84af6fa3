import type { FieldDef } from '@/lib/rules/fields';
import { splitList } from './builder-config';

/**
 * Value help for text conditions on fields with known values (country): what the datalist offers
 * and the "did you mean" correction for a value no profile has. Text rules compare case-insensitively,
 * so "united kingdom" is a known value and needs no correction.
 */
export interface KnownValue {
  value: string;
  count: number;
}

/** Names people type for values the dataset spells otherwise (the UCI data says "EIRE", "USA", "RSA"). */
const ALIASES: Record<NonNullable<FieldDef['suggestions']>, Record<string, string>> = {
  country: {
    ireland: 'EIRE',
    'republic of ireland': 'EIRE',
    uk: 'United Kingdom',
    'great britain': 'United Kingdom',
    britain: 'United Kingdom',
    england: 'United Kingdom',
    us: 'USA',
    'united states': 'USA',
    'united states of america': 'USA',
    america: 'USA',
    'south africa': 'RSA',
    holland: 'Netherlands',
    'the netherlands': 'Netherlands',
  },
};

const norm = (s: string) => s.trim().toLowerCase();

export function isKnownValue(text: string, values: readonly KnownValue[]): boolean {
  const t = norm(text);
  return values.some((v) => norm(v.value) === t);
}

/** Edit distance counting a swap of neighbours as one edit ("Untied" -> "United" is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Up to `max` known values the user probably meant by `text` (empty when it is known or blank):
 * an alias first, then values containing what was typed, then near misses by edit distance;
 * ties go to the value more profiles have.
 */
export function suggestValues(text: string, values: readonly KnownValue[], kind: FieldDef['suggestions'], max = 3): string[] {
  const t = norm(text);
  if (t === '' || isKnownValue(text, values)) return [];
  const known = new Map(values.map((v) => [norm(v.value), v]));
  const alias = kind ? ALIASES[kind][t] : undefined;
  const ranked: { value: string; rank: number; count: number }[] = [];
  if (alias && known.has(norm(alias))) ranked.push({ value: known.get(norm(alias))!.value, rank: -1, count: Infinity });
  const tolerance = Math.max(1, Math.floor(t.length / 4));
  for (const v of values) {
    const n = norm(v.value);
    if (ranked.some((r) => r.value === v.value)) continue;
    if (t.length >= 2 && n.includes(t)) ranked.push({ value: v.value, rank: 0, count: v.count });
    else {
      const distance = editDistance(t, n);
      if (distance <= tolerance) ranked.push({ value: v.value, rank: distance, count: v.count });
    }
  }
  return ranked
    .sort((a, b) => a.rank - b.rank || b.count - a.count)
    .slice(0, max)
    .map((r) => r.value);
}

/**
 * Datalist options for a comma-separated list: each known value not yet in the list, after what was
 * already typed, since a datalist completes the whole input ("France, Germ" offers "France, Germany").
 */
export function listOptions(text: string, values: readonly KnownValue[]): KnownValue[] {
  const cut = text.lastIndexOf(',');
  const done = cut < 0 ? [] : splitList(text.slice(0, cut));
  const prefix = done.length ? `${done.join(', ')}, ` : '';
  const taken = new Set(done.map(norm));
  return values.filter((v) => !taken.has(norm(v.value))).map((v) => ({ value: prefix + v.value, count: v.count }));
}

/** The first item of a list no profile has, with its position, or null. */
export function firstUnknownItem(text: string, values: readonly KnownValue[]): { index: number; item: string } | null {
  const items = splitList(text);
  const index = items.findIndex((item) => !isKnownValue(item, values));
  return index < 0 ? null : { index, item: items[index]! };
}

export function replaceItem(text: string, index: number, value: string): string {
  const items = splitList(text);
  items[index] = value;
  return items.join(', ');
}
