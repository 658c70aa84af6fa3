import { describe, expect, it } from 'vitest';
import { pageHref, pageParam } from './pager';

describe('pageHref', () => {
  it('sets its own page parameter and keeps the others', () => {
    expect(pageHref('/segments/3', { page: '2' }, 'changesPage', 4)).toBe('/segments/3?page=2&changesPage=4');
    expect(pageHref('/profiles', { q: 'eire', country: undefined }, 'page', 2)).toBe('/profiles?q=eire&page=2');
  });

  it('leaves page 1 out and replaces a stale value of its own parameter', () => {
    expect(pageHref('/segments/3', { changesPage: '5', page: '2' }, 'changesPage', 1)).toBe('/segments/3?page=2');
    expect(pageHref('/segments/3', {}, 'page', 1)).toBe('/segments/3');
  });

  it('appends the anchor to come back to', () => {
    expect(pageHref('/segments/3', {}, 'changesPage', 2, 'changes')).toBe('/segments/3?changesPage=2#changes');
  });
});

describe('pageParam', () => {
  it('takes a positive integer, else 1', () => {
    expect(pageParam('3')).toBe(3);
    expect(pageParam(['2', '9'])).toBe(2);
    expect(pageParam('0')).toBe(1);
    expect(pageParam('1.5')).toBe(1);
    expect(pageParam(undefined)).toBe(1);
  });
});
