import { describe, expect, it } from 'vitest';
import { parseCall, type TrackingCall } from './calls';
import { columnsOf, eventOf } from './mapping';

const call = (raw: Record<string, unknown>, type: TrackingCall['type'] = 'track'): TrackingCall => {
  const r = parseCall({ userId: 'u', messageId: 'm', ...raw }, { type, index: 0, receivedAt: new Date('2026-03-01T12:00:00Z') });
  if (!r.ok) throw new Error(r.errors.join(' '));
  return r.call;
};

describe('eventOf', () => {
  it('Order Completed is an order, revenue = properties.revenue, else properties.total', () => {
    expect(eventOf(call({ event: 'Order Completed', properties: { orderId: 'o1', revenue: 25.005, total: 30 } }))).toEqual({
      type: 'order',
      revenue: '25.005',
      properties: { orderId: 'o1', revenue: 25.005, total: 30, event: 'Order Completed' },
      dedupeKey: 'msg:m',
    });
    expect(eventOf(call({ event: 'Order Completed', properties: { total: '19.90' } }))?.revenue).toBe('19.9');
    expect(eventOf(call({ event: 'Order Completed' }))?.revenue).toBeNull();
  });

  it('Order Cancelled and Order Refunded are order_cancelled with negative revenue', () => {
    expect(eventOf(call({ event: 'Order Cancelled', properties: { total: 40 } }))).toMatchObject({ type: 'order_cancelled', revenue: '-40' });
    expect(eventOf(call({ event: 'Order Refunded', properties: { revenue: -12.5 } }))).toMatchObject({ type: 'order_cancelled', revenue: '-12.5' });
  });

  it('other events keep their name; page, screen and group are their own types; identify and alias store no event', () => {
    expect(eventOf(call({ event: 'Product Viewed', properties: { sku: 'A', revenue: 3 } }))).toEqual({ type: 'Product Viewed', revenue: '3', properties: { sku: 'A', revenue: 3 }, dedupeKey: 'msg:m' });
    expect(eventOf(call({ name: 'Pricing', category: 'Docs', properties: { path: '/pricing' } }, 'page'))).toMatchObject({ type: 'page', properties: { path: '/pricing', name: 'Pricing', category: 'Docs' } });
    expect(eventOf(call({ name: 'Home' }, 'screen'))).toMatchObject({ type: 'screen', properties: { name: 'Home' } });
    expect(eventOf(call({ groupId: 'acme', traits: { plan: 'pro' } }, 'group'))).toMatchObject({ type: 'group', properties: { groupId: 'acme', traits: { plan: 'pro' } } });
    expect(eventOf(call({ traits: {} }, 'identify'))).toBeNull();
    expect(eventOf(call({ previousId: 'a' }, 'alias'))).toBeNull();
  });
});

describe('columnsOf', () => {
  it('maps the spec’s well-known traits, both spellings, address first', () => {
    expect(columnsOf({ email: ' Ann@X.org', firstName: 'Ann', last_name: 'Lee', address: { country: 'France', city: 'Lyon' }, plan: 'pro' })).toEqual({
      email: 'ann@x.org',
      firstName: 'Ann',
      lastName: 'Lee',
      country: 'France',
      city: 'Lyon',
    });
    expect(columnsOf({ first_name: 'Bo', country: 'Spain' })).toEqual({ firstName: 'Bo', country: 'Spain' });
    expect(columnsOf({ plan: 'pro' })).toEqual({});
  });

  it('a trait sent as null or empty clears its column', () => {
    expect(columnsOf({ email: null, firstName: '' })).toEqual({ email: null, firstName: null });
  });
});
