import { findColumn } from '@/lib/audiences/columns';
import { describeRules, type DescribeOptions } from '@/lib/rules/describe';

/**
 * What a version froze, in words, and what changed from the version before it (by number; a
 * deleted version in between is skipped). Conditions are compared by their plain-words form at
 * the top level of the rules, so "added Country is "France"" reads like the builder.
 */
export interface VersionLike {
  number: number;
  source: 'RULES' | 'UPLOAD';
  rules: unknown;
  columns: unknown;
  upload: { fileName: string } | null;
}

export interface DefinitionChange {
  /** The definition in words: the rules, or the uploaded file. */
  summary: string;
  /** Null for the first version. */
  previous: number | null;
  /** Nothing changed from the previous version. */
  same: boolean;
  sourceChanged: boolean;
  addedConditions: string[];
  removedConditions: string[];
  /** The rules changed in a way a list of conditions does not show (combinator, NOT, order). */
  rulesReworded: boolean;
  addedColumns: string[];
  removedColumns: string[];
  columnsReordered: boolean;
}

const keysOf = (columns: unknown) => (Array.isArray(columns) ? columns.map(String) : []);
const header = (key: string) => findColumn(key)?.header ?? key;

function topLevel(rules: unknown, names: DescribeOptions): { combinator: string; not: boolean; parts: string[] } | null {
  if (!rules || typeof rules !== 'object' || !Array.isArray((rules as { rules?: unknown }).rules)) return null;
  const group = rules as { combinator?: string; not?: boolean; rules: unknown[] };
  const parts = group.rules.map((child) => {
    const d = describeRules({ combinator: 'and', rules: [child] }, names);
    return d.ok ? d.text.replace(/^Customers /, '') : JSON.stringify(child);
  });
  return { combinator: String(group.combinator ?? 'and'), not: Boolean(group.not), parts };
}

export function describeVersion(v: VersionLike, names: DescribeOptions = {}): string {
  if (v.source === 'UPLOAD') return `Uploaded list ${v.upload?.fileName ?? ''}`.trim();
  const d = describeRules(v.rules, names);
  return d.ok ? d.text : `Rules not valid: ${d.message}`;
}

/** For each version (any order in, same order out): its summary and the change from the one before. */
export function definitionChanges<T extends VersionLike>(versions: readonly T[], names: DescribeOptions = {}): Map<number, DefinitionChange> {
  const ordered = [...versions].sort((a, b) => a.number - b.number);
  const result = new Map<number, DefinitionChange>();
  ordered.forEach((v, i) => {
    const prev = i > 0 ? ordered[i - 1]! : null;
    const summary = describeVersion(v, names);
    const cols = keysOf(v.columns);
    const prevCols = prev ? keysOf(prev.columns) : cols;
    const addedColumns = cols.filter((c) => !prevCols.includes(c)).map(header);
    const removedColumns = prevCols.filter((c) => !cols.includes(c)).map(header);
    const common = cols.filter((c) => prevCols.includes(c));
    const columnsReordered = common.join() !== prevCols.filter((c) => cols.includes(c)).join();
    const sourceChanged = prev !== null && prev.source !== v.source;
    let addedConditions: string[] = [];
    let removedConditions: string[] = [];
    let rulesReworded = false;
    if (prev && v.source === 'RULES' && prev.source === 'RULES' && JSON.stringify(prev.rules) !== JSON.stringify(v.rules)) {
      const now = topLevel(v.rules, names);
      const before = topLevel(prev.rules, names);
      if (now && before) {
        addedConditions = now.parts.filter((p) => !before.parts.includes(p));
        removedConditions = before.parts.filter((p) => !now.parts.includes(p));
        rulesReworded = now.combinator !== before.combinator || now.not !== before.not || (addedConditions.length === 0 && removedConditions.length === 0 && now.parts.join('\u0000') !== before.parts.join('\u0000'));
      } else rulesReworded = true;
    }
    const uploadChanged = prev !== null && v.source === 'UPLOAD' && prev.source === 'UPLOAD';
    const same =
      prev === null ||
      (!sourceChanged && !uploadChanged && addedConditions.length === 0 && removedConditions.length === 0 && !rulesReworded && addedColumns.length === 0 && removedColumns.length === 0 && !columnsReordered);
    result.set(v.number, {
      summary,
      previous: prev?.number ?? null,
      same: prev === null ? false : same,
      sourceChanged,
      addedConditions,
      removedConditions,
      rulesReworded,
      addedColumns,
      removedColumns,
      columnsReordered,
    });
  });
  return result;
}
