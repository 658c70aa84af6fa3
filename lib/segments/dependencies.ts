/**
 * Segments that refer to other segments ("is in segment S") read S's stored tags, so a run must
 * evaluate S first, and a cycle (A needs B needs A) has no valid order: it is refused on save.
 */
export interface SegmentRef {
  id: number;
  rules: unknown;
}

/** The ids of the segments a rule tree refers to, read from the raw JSON (valid or not). */
export function referencedSegments(rules: unknown): number[] {
  const found = new Set<number>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const n = node as { field?: unknown; value?: unknown; rules?: unknown };
    if (Array.isArray(n.rules)) n.rules.forEach(walk);
    else if (n.field === 'segment') {
      const id = Number(n.value);
      if (Number.isInteger(id) && id > 0) found.add(id);
    }
  };
  walk(rules);
  return [...found].sort((a, b) => a - b);
}

function graphOf(segments: SegmentRef[]): Map<number, number[]> {
  return new Map(segments.map((s) => [s.id, referencedSegments(s.rules)]));
}

/** A cycle through the graph as a closed path of ids ([a, b, a]), or null. */
export function findCycle(segments: SegmentRef[]): number[] | null {
  const graph = graphOf(segments);
  const state = new Map<number, 'visiting' | 'done'>();
  const path: number[] = [];
  const visit = (id: number): number[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dep of graph.get(id) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of [...graph.keys()].sort((a, b) => a - b)) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return null;
}

/**
 * The given segments ordered so that each comes after the segments it refers to (ties by id).
 * Segments caught in a cycle, which saving refuses but the database could still hold, come last.
 */
export function evaluationOrder<T extends SegmentRef>(segments: T[]): T[] {
  const ids = new Set(segments.map((s) => s.id));
  const pending = new Map(segments.map((s) => [s.id, referencedSegments(s.rules).filter((d) => ids.has(d) && d !== s.id)]));
  const ordered: T[] = [];
  const byId = new Map(segments.map((s) => [s.id, s]));
  while (pending.size > 0) {
    const ready = [...pending.entries()].filter(([, deps]) => deps.every((d) => !pending.has(d))).map(([id]) => id);
    const next = ready.length > 0 ? ready : [...pending.keys()]; // a cycle: no order is right, keep going
    for (const id of next.sort((a, b) => a - b)) {
      ordered.push(byId.get(id)!);
      pending.delete(id);
    }
  }
  return ordered;
}

/** The ids plus every segment that depends on them, directly or through others. */
export function withDependents(ids: number[], segments: SegmentRef[]): Set<number> {
  const graph = graphOf(segments);
  const result = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, deps] of graph) {
      if (!result.has(id) && deps.some((d) => result.has(d))) {
        result.add(id);
        grew = true;
      }
    }
  }
  return result;
}
