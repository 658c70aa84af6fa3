import { describeProblems, parseRules, type Condition, type DateValue, type Group, type LeafValue } from '@/lib/rules/parse';

/**
 * Rules as one readable line: `Number of orders ≥ 2 AND (Country is "France" OR NOT (…))`.
 * Built from the parsed tree, so it shows what the compiler will evaluate, not what was typed.
 */
export type RulesDescription = { ok: true; text: string } | { ok: false; message: string };

/** `segmentNames` names the segments that membership conditions refer to (else "segment #id"). */
export function describeRules(rules: unknown, segmentNames: ReadonlyMap<number, string> = new Map()): RulesDescription {
  const parsed = parseRules(rules);
  if (!parsed.ok) return { ok: false, message: describeProblems(parsed.problems) };
  return { ok: true, text: describeGroup(parsed.tree, segmentNames, true) };
}

function describeGroup(group: Group, names: ReadonlyMap<number, string>, top = false): string {
  const parts = group.rules.map((r) => (r.type === 'group' ? describeGroup(r, names) : describeCondition(r, names)));
  const joined = parts.join(group.combinator === 'and' ? ' AND ' : ' OR ');
  const needsParens = (!top || group.not) && parts.length > 1;
  const body = needsParens ? `(${joined})` : joined;
  return group.not ? `NOT ${parts.length > 1 ? body : `(${body})`}` : body;
}

export function describeCondition(c: Condition, names: ReadonlyMap<number, string> = new Map()): string {
  const { field, operator, value } = c;
  switch (value.kind) {
    case 'segment': {
      const name = names.get(value.segmentId);
      return `${operator.name === 'in' ? 'Is in' : 'Is not in'} ${name === undefined ? `segment #${value.segmentId}` : `segment ${JSON.stringify(name)}`}`;
    }
    case 'none':
      return `${field.label} ${operator.label}`;
    case 'days':
      return `${field.label} ${operator.label.replace('N', String(value.days))}`;
    case 'event': {
      const times = `${value.count} ${value.count === 1 ? 'time' : 'times'}`;
      return `${field.label} ${operator.label} ${times} ${value.days === null ? 'ever' : `in the last ${value.days} days`}`;
    }
    default:
      return `${field.label} ${operator.label} ${formatValue(value)}`;
  }
}

function formatValue(v: LeafValue): string {
  switch (v.kind) {
    case 'text':
      return JSON.stringify(v.value);
    case 'textList':
      return v.values.map((x) => JSON.stringify(x)).join(', ');
    case 'number':
      return String(v.value);
    case 'numberPair':
      return `${v.low} and ${v.high}`;
    case 'date':
      return day(v.value);
    case 'datePair':
      return `${day(v.low)} and ${day(v.high)}`;
    default:
      return '';
  }
}

function day(d: DateValue): string {
  return d.kind === 'day' ? d.day : d.iso;
}
