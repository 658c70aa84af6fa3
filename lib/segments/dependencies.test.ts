import { describe, expect, it } from 'vitest';
import { evaluationOrder, findCycle, referencedSegments, withDependents } from './dependencies';

const inSeg = (id: number, not = false) => ({ field: 'segment', operator: not ? 'notIn' : 'in', value: id });
const seg = (id: number, ...refs: number[]) => ({ id, rules: { combinator: 'and', rules: [{ field: 'orderCount', operator: '>', value: 1 }, { combinator: 'or', rules: refs.map((r) => inSeg(r)) }] } });

describe('segment dependencies', () => {
  it('finds references at any depth, including string ids from the builder', () => {
    expect(referencedSegments({ combinator: 'or', rules: [inSeg(3), { combinator: 'and', not: true, rules: [{ field: 'segment', operator: 'in', value: '7' }] }] })).toEqual([3, 7]);
    expect(referencedSegments({ combinator: 'and', rules: [{ field: 'country', operator: '=', value: 'segment' }] })).toEqual([]);
  });

  it('orders dependencies first, whatever their ids', () => {
    const order = evaluationOrder([seg(1, 3), seg(2), seg(3, 2), seg(4, 1, 2)]).map((s) => s.id);
    expect(order).toEqual([2, 3, 1, 4]);
  });

  it('finds cycles, including a segment that refers to itself', () => {
    expect(findCycle([seg(1, 2), seg(2, 3), seg(3, 1), seg(4)])).toEqual([1, 2, 3, 1]);
    expect(findCycle([seg(5, 5)])).toEqual([5, 5]);
    expect(findCycle([seg(1, 2), seg(2), seg(3, 1, 2)])).toBeNull();
  });

  it('still orders every segment when the database holds a cycle', () => {
    expect(evaluationOrder([seg(1, 2), seg(2, 1), seg(3)]).map((s) => s.id)).toEqual([3, 1, 2]);
  });

  it('collects transitive dependents', () => {
    expect([...withDependents([2], [seg(1, 3), seg(2), seg(3, 2), seg(4)])].sort()).toEqual([1, 2, 3]);
  });
});
