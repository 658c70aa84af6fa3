import { describe, expect, it } from 'vitest';
import { MAX_CALL_BYTES, parseBatch, parseCall } from './calls';

const receivedAt = new Date('2026-03-01T12:00:00.000Z');
const one = (raw: unknown, type?: Parameters<typeof parseCall>[1]['type']) => parseCall(raw, { type, index: 0, receivedAt });
const errorsOf = (r: ReturnType<typeof parseCall>) => (r.ok ? [] : r.errors);

describe('parseCall', () => {
  it('reads a track call as analytics-node sends it', () => {
    const r = one({ userId: 'u1', event: 'Product Viewed', properties: { sku: 'A' }, messageId: 'm1', timestamp: '2026-03-01T11:59:59.000Z', context: { library: { name: 'x' } } }, 'track');
    expect(r).toEqual({
      ok: true,
      call: expect.objectContaining({ type: 'track', messageId: 'm1', userId: 'u1', anonymousId: null, event: 'Product Viewed', properties: { sku: 'A' }, timestamp: new Date('2026-03-01T11:59:59.000Z') }),
    });
  });

  it('requires a userId or an anonymousId (empty strings do not count), an event for track, ids for alias and group', () => {
    expect(errorsOf(one({ event: 'x' }, 'track'))).toEqual(['userId or anonymousId is required.']);
    expect(errorsOf(one({ userId: '  ', anonymousId: '', event: 'x' }, 'track'))).toEqual(['userId or anonymousId is required.']);
    expect(errorsOf(one({ userId: 'u' }, 'track'))).toEqual(['event is required for a track call.']);
    expect(errorsOf(one({ userId: 'u', event: '   ' }, 'track'))).toEqual(['event is required for a track call.']);
    expect(errorsOf(one({ userId: 'u' }, 'alias'))).toEqual(['previousId is required for an alias call.']);
    expect(errorsOf(one({ previousId: 'a' }, 'alias'))).toEqual(['userId is required for an alias call.']);
    expect(errorsOf(one({ userId: 'u' }, 'group'))).toEqual(['groupId is required for a group call.']);
    expect(one({ anonymousId: 'a' }, 'page').ok).toBe(true);
  });

  it('refuses wrong types, naming the field', () => {
    expect(errorsOf(one({ userId: true, event: 'x' }, 'track'))).toEqual(['userId must be a string.']);
    expect(errorsOf(one({ userId: 'u', event: 5 }, 'track'))).toEqual(['event must be a string.']);
    expect(errorsOf(one({ userId: 'u', event: 'x', properties: [1] }, 'track'))).toEqual(['properties must be an object.']);
    expect(errorsOf(one({ userId: 'u', traits: 'rich' }, 'identify'))).toEqual(['traits must be an object.']);
    expect(errorsOf(one({ userId: 'u', traits: { email: 42 } }, 'identify'))).toEqual(['traits.email must be a string.']);
    expect(errorsOf(one({ userId: 'u', traits: { email: 'not-an-address' } }, 'identify'))).toEqual(['traits.email is not an e-mail address.']);
    expect(errorsOf(one({ userId: 'u', traits: { address: { city: 7 } } }, 'identify'))).toEqual(['traits.address.city must be a string.']);
    expect(errorsOf(one({ userId: 'u', event: 'x', timestamp: 'yesterday' }, 'track'))).toEqual(['timestamp must be an ISO 8601 date and time.']);
    expect(errorsOf(one({ userId: 'u', event: 'x', timestamp: 1767225600000 }, 'track'))).toEqual(['timestamp must be an ISO 8601 date and time.']);
    expect(errorsOf(one({ userId: 'u', event: 'Order Completed', properties: { revenue: 'lots' } }, 'track'))).toEqual(['properties.revenue must be a number.']);
    expect(errorsOf(one({ userId: 'u', event: 'Order Completed', properties: { total: {} } }, 'track'))).toEqual(['properties.total must be a number.']);
    expect(errorsOf(one({ userId: 'u', event: 'Order Completed', properties: { revenue: 1e13 } }, 'track'))).toEqual(['properties.revenue is out of range.']);
    expect(errorsOf(one({ userId: 'u', event: 'x'.repeat(201) }, 'track'))).toEqual(['event is longer than 200 characters.']);
    expect(errorsOf(one({ userId: 'u'.repeat(256), event: 'x' }, 'track'))).toEqual(['userId is longer than 255 characters.']);
    expect(errorsOf(one({ userId: 'u', event: 'bad\u0000name' }, 'track'))).toEqual(['The call contains a NUL character (\\u0000).']);
    expect(errorsOf(one('a string', 'track'))).toEqual(['The body must be a JSON object.']);
    expect(errorsOf(one(JSON.parse('{"userId": "u", "event": "x", "properties": {"bad": "\\ud800"}}'), 'track'))).toEqual(['The call contains text that is not valid Unicode (a lone surrogate).']);
    // A surrogate pair, and the text "\\ud800" itself, are fine.
    expect(one(JSON.parse('{"userId": "u", "event": "x", "properties": {"emoji": "\\ud83d\\ude00", "text": "\\\\ud800"}}'), 'track').ok).toBe(true);
  });

  it('takes numeric ids as their text, as the official clients coerce them', () => {
    const r = one({ userId: 17850, event: 'x' }, 'track');
    expect(r.ok && r.call.userId).toBe('17850');
  });

  it('refuses a call over 32 KB', () => {
    const big = { userId: 'u', event: 'x', properties: { blob: 'x'.repeat(MAX_CALL_BYTES) } };
    expect(errorsOf(one(big, 'track'))).toEqual(['The call is larger than 32 KB, the limit for one call.']);
  });

  it('gives a messageId to a call without one, and normalises the e-mail of an identify', () => {
    const r = one({ userId: 'u', traits: { email: '  Ann@Example.COM ' } }, 'identify');
    expect(r.ok && r.call.messageId).toMatch(/^tagwise-[0-9a-f-]{36}$/);
    expect(r.ok && r.call.email).toBe('ann@example.com');
  });

  it('uses context.traits.email as a lookup hint for other calls, and an identify’s context.traits when it has no traits', () => {
    const track = one({ anonymousId: 'a', event: 'x', context: { traits: { email: 'B@x.org' } } }, 'track');
    expect(track.ok && track.call.email).toBe('b@x.org');
    const hint = one({ anonymousId: 'a', event: 'x', context: { traits: { email: 'nonsense' } } }, 'track');
    expect(hint.ok && hint.call.email).toBeNull();
    const identify = one({ userId: 'u', context: { traits: { firstName: 'Ann' } } }, 'identify');
    expect(identify.ok && identify.call.traits).toEqual({ firstName: 'Ann' });
  });

  it('reconciles the timestamp with sentAt, the call’s own first, else the batch’s', () => {
    const own = parseCall({ userId: 'u', event: 'x', timestamp: '2026-03-01T13:00:00Z', sentAt: '2026-03-01T13:00:10Z' }, { type: 'track', index: 0, receivedAt, batchSentAt: new Date('2026-03-01T14:00:00Z') });
    expect(own.ok && own.call.timestamp.toISOString()).toBe('2026-03-01T11:59:50.000Z');
    const batch = parseCall({ userId: 'u', event: 'x', timestamp: '2026-03-01T13:00:00Z' }, { type: 'track', index: 0, receivedAt, batchSentAt: new Date('2026-03-01T13:00:30Z') });
    expect(batch.ok && batch.call.timestamp.toISOString()).toBe('2026-03-01T11:59:30.000Z');
  });
});

describe('parseBatch', () => {
  it('reads each call with its own type and the batch’s sentAt and context', () => {
    const r = parseBatch(
      {
        sentAt: '2026-03-01T12:00:05Z',
        context: { app: 'shop' },
        batch: [
          { type: 'identify', userId: 'u', traits: { plan: 'pro' }, timestamp: '2026-03-01T12:00:00Z' },
          { type: 'track', userId: 'u', event: 'Signed Up', timestamp: '2026-03-01T12:00:01Z', context: { own: true } },
        ],
      },
      receivedAt,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.calls.map((c) => [c.type, c.index, c.timestamp.toISOString()])).toEqual([
      ['identify', 0, '2026-03-01T11:59:55.000Z'],
      ['track', 1, '2026-03-01T11:59:56.000Z'],
    ]);
  });

  it('refuses the whole batch for one bad call, naming each by its position', () => {
    const r = parseBatch({ batch: [{ type: 'track', userId: 'u', event: 'ok' }, { type: 'track', event: 'no id' }, { type: 'launch', userId: 'u' }] }, receivedAt);
    expect(r).toEqual({ ok: false, errors: ['batch[1].userId or anonymousId is required.', 'batch[2].type must be one of identify, track, page, screen, group, alias.'] });
  });

  it('refuses a body without a batch array, and a bad batch sentAt', () => {
    expect(parseBatch([], receivedAt)).toEqual({ ok: false, errors: ['The body must be a JSON object with a batch array.'] });
    expect(parseBatch({ batch: {} }, receivedAt)).toEqual({ ok: false, errors: ['batch must be an array of calls.'] });
    expect(parseBatch({ batch: [], sentAt: 'soon' }, receivedAt)).toEqual({ ok: false, errors: ['sentAt must be an ISO 8601 date and time.'] });
    expect(parseBatch({ batch: [] }, receivedAt)).toEqual({ ok: true, calls: [] });
  });
});
