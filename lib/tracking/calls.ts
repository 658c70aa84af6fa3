import { randomUUID } from 'node:crypto';
import { normaliseEmail } from './email';
import { revenueProblems } from './mapping';
import { parseInstant, reconcileTimestamp } from './timestamps';

/**
 * Validation of tracking calls as the Segment tracking API specification defines them (identify, track,
 * page, screen, group, alias, and batches of those). A call either becomes a `TrackingCall` or yields
 * messages naming the field at fault; a request with any bad call is refused whole (docs/tracking.md).
 */

export const CALL_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type CallType = (typeof CALL_TYPES)[number];

/** The spec's limits: 32 KB for one call, 500 KB for a batch request. */
export const MAX_CALL_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
/** Our own bounds on identifiers and names, so that an index entry stays small. */
export const MAX_ID_LENGTH = 255;
export const MAX_EVENT_NAME_LENGTH = 200;

type Json = Record<string, unknown>;

export interface TrackingCall {
  /** Position in the request (0 for a single call), for error messages and ordering. */
  index: number;
  type: CallType;
  messageId: string;
  userId: string | null;
  anonymousId: string | null;
  /** Normalised e-mail used to find the profile: traits.email of an identify, else context.traits.email. */
  email: string | null;
  /** alias: the id the user was known by before. */
  previousId: string | null;
  /** When it happened, clock skew corrected. */
  timestamp: Date;
  /** When the server received the request that carried it. */
  receivedAt: Date;
  /** identify: the traits to merge into the profile. */
  traits: Json | null;
  /** track: the event name. */
  event: string | null;
  /** page/screen: name and category. */
  name: string | null;
  category: string | null;
  /** group */
  groupId: string | null;
  properties: Json;
}

export type CallResult = { ok: true; call: TrackingCall } | { ok: false; errors: string[] };

/** A \\udXXX escape (not an escaped backslash followed by "udXXX"): only lone surrogates are written so. */
const LONE_SURROGATE = /(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A byte length of the call as JSON, for the 32 KB limit (the spec counts the serialised call). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

interface Reader {
  errors: string[];
  at: string;
}

function id(r: Reader, raw: Json, key: string): string | null {
  const v = raw[key];
  if (v === undefined || v === null) return null;
  // The spec's ids are strings; numbers are accepted as their decimal text, as the official clients coerce them.
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') {
    r.errors.push(`${r.at}${key} must be a string.`);
    return null;
  }
  const s = v.trim();
  if (s.length > MAX_ID_LENGTH) {
    r.errors.push(`${r.at}${key} is longer than ${MAX_ID_LENGTH} characters.`);
    return null;
  }
  return s === '' ? null : s;
}

function text(r: Reader, raw: Json, key: string, max = 1000): string | null {
  const v = raw[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    r.errors.push(`${r.at}${key} must be a string.`);
    return null;
  }
  if (v.length > max) r.errors.push(`${r.at}${key} is longer than ${max} characters.`);
  return v;
}

function object(r: Reader, raw: Json, key: string): Json | null {
  const v = raw[key];
  if (v === undefined || v === null) return null;
  if (!isObject(v)) {
    r.errors.push(`${r.at}${key} must be an object.`);
    return null;
  }
  return v;
}

function instant(r: Reader, raw: Json, key: string): Date | null {
  const v = raw[key];
  if (v === undefined || v === null) return null;
  const date = typeof v === 'string' ? parseInstant(v) : null;
  if (!date) r.errors.push(`${r.at}${key} must be an ISO 8601 date and time.`);
  return date;
}

/** The well-known traits the spec names, with their column; a wrong type is an error, not silently dropped. */
const STRING_TRAITS = ['email', 'firstName', 'first_name', 'lastName', 'last_name', 'country', 'city'] as const;

function checkTraits(r: Reader, traits: Json, at: string): void {
  for (const key of STRING_TRAITS) {
    const v = traits[key];
    if (v !== undefined && v !== null && typeof v !== 'string') r.errors.push(`${r.at}${at}.${key} must be a string.`);
  }
  const address = traits.address;
  if (address !== undefined && address !== null) {
    if (!isObject(address)) r.errors.push(`${r.at}${at}.address must be an object.`);
    else
      for (const key of ['country', 'city']) {
        const v = address[key];
        if (v !== undefined && v !== null && typeof v !== 'string') r.errors.push(`${r.at}${at}.address.${key} must be a string.`);
      }
  }
  if (typeof traits.email === 'string' && normaliseEmail(traits.email) === undefined) r.errors.push(`${r.at}${at}.email is not an e-mail address.`);
}

/**
 * Validates one call. `type` is the endpoint's for single calls; in a batch each call names its own.
 * `batchSentAt` is the batch's sentAt, used when the call has none of its own.
 */
export function parseCall(raw: unknown, options: { type?: CallType; index: number; receivedAt: Date; batchSentAt?: Date | null; inBatch?: boolean }): CallResult {
  const r: Reader = { errors: [], at: options.inBatch ? `batch[${options.index}].` : '' };
  if (!isObject(raw)) return { ok: false, errors: [`${options.inBatch ? `batch[${options.index}]` : 'The body'} must be a JSON object.`] };
  const serialised = JSON.stringify(raw);
  // PostgreSQL text and jsonb cannot hold U+0000; refuse it here rather than fail on insert.
  if (serialised.includes('\\u0000')) return { ok: false, errors: [`${options.inBatch ? `batch[${options.index}]` : 'The call'} contains a NUL character (\\u0000).`] };
  // JSON.stringify writes a lone UTF-16 surrogate as an escape; jsonb refuses it.
  if (LONE_SURROGATE.test(serialised)) return { ok: false, errors: [`${options.inBatch ? `batch[${options.index}]` : 'The call'} contains text that is not valid Unicode (a lone surrogate).`] };
  if (Buffer.byteLength(serialised, 'utf8') > MAX_CALL_BYTES) {
    return { ok: false, errors: [`${options.inBatch ? `batch[${options.index}]` : 'The call'} is larger than 32 KB, the limit for one call.`] };
  }

  let type = options.type;
  if (!type) {
    const t = raw.type;
    if (typeof t !== 'string' || !(CALL_TYPES as readonly string[]).includes(t)) {
      return { ok: false, errors: [`${r.at}type must be one of ${CALL_TYPES.join(', ')}.`] };
    }
    type = t as CallType;
  }

  const messageId = id(r, raw, 'messageId');
  const userId = id(r, raw, 'userId');
  const anonymousId = id(r, raw, 'anonymousId');
  const context = object(r, raw, 'context');
  const properties = object(r, raw, 'properties');
  const timestamp = instant(r, raw, 'timestamp');
  const originalTimestamp = instant(r, raw, 'originalTimestamp');
  const sentAt = instant(r, raw, 'sentAt');

  let traits: Json | null = null;
  let event: string | null = null;
  let previousId: string | null = null;
  let name: string | null = null;
  let category: string | null = null;
  let groupId: string | null = null;

  switch (type) {
    case 'identify':
      traits = object(r, raw, 'traits');
      // Some clients send an identify's traits in context.traits only.
      if (!traits && context && isObject(context.traits)) traits = context.traits;
      if (traits) checkTraits(r, traits, 'traits');
      break;
    case 'track':
      event = text(r, raw, 'event', MAX_EVENT_NAME_LENGTH);
      if (event !== null && event.trim() === '') event = null;
      if (event === null && !r.errors.some((e) => e.includes('event'))) r.errors.push(`${r.at}event is required for a track call.`);
      break;
    case 'page':
    case 'screen':
      name = text(r, raw, 'name');
      category = text(r, raw, 'category');
      break;
    case 'group':
      groupId = id(r, raw, 'groupId');
      if (groupId === null && !r.errors.some((e) => e.includes('groupId'))) r.errors.push(`${r.at}groupId is required for a group call.`);
      traits = object(r, raw, 'traits');
      break;
    case 'alias':
      previousId = id(r, raw, 'previousId');
      if (previousId === null && !r.errors.some((e) => e.includes('previousId'))) r.errors.push(`${r.at}previousId is required for an alias call.`);
      if (userId === null && !r.errors.some((e) => e.includes('userId'))) r.errors.push(`${r.at}userId is required for an alias call.`);
      break;
  }
  if (type !== 'alias' && userId === null && anonymousId === null && !r.errors.some((e) => /userId|anonymousId/.test(e))) {
    r.errors.push(`${r.at}userId or anonymousId is required.`);
  }

  let email: string | null = null;
  if (type === 'identify' && typeof traits?.email === 'string') email = normaliseEmail(traits.email) ?? null;
  else if (context && isObject(context.traits) && typeof context.traits.email === 'string') email = normaliseEmail(context.traits.email) ?? null; // a hint only: ignored when not an address

  if (r.errors.length) return { ok: false, errors: r.errors };
  const when = reconcileTimestamp({ timestamp, originalTimestamp, sentAt: sentAt ?? options.batchSentAt ?? null }, options.receivedAt);
  if (Number.isNaN(when.getTime()) || Math.abs(when.getUTCFullYear()) > 9999) {
    return { ok: false, errors: [`${r.at}timestamp: the corrected time (receivedAt − (sentAt − timestamp)) is out of range.`] };
  }
  const call: TrackingCall = {
      index: options.index,
      type,
      // The spec's servers add one when the client did not; without it a retry cannot be recognised.
      messageId: messageId ?? `tagwise-${randomUUID()}`,
      userId,
      anonymousId,
      email,
      previousId,
      timestamp: when,
      receivedAt: options.receivedAt,
      traits,
      event,
      name,
      category,
      groupId,
      properties: properties ?? {},
  };
  const money = revenueProblems(call, r.at);
  return money.length ? { ok: false, errors: money } : { ok: true, call };
}

export type BatchResult = { ok: true; calls: TrackingCall[] } | { ok: false; errors: string[] };

/** Validates a batch body `{batch: [...], sentAt?, context?}`; any bad call refuses the whole batch. */
export function parseBatch(body: unknown, receivedAt: Date): BatchResult {
  if (!isObject(body)) return { ok: false, errors: ['The body must be a JSON object with a batch array.'] };
  if (!Array.isArray(body.batch)) return { ok: false, errors: ['batch must be an array of calls.'] };
  const errors: string[] = [];
  const top: Reader = { errors, at: '' };
  const sentAt = instant(top, body, 'sentAt');
  const context = object(top, body, 'context');
  if (errors.length) return { ok: false, errors };
  const calls: TrackingCall[] = [];
  body.batch.forEach((raw, index) => {
    // A batch-level context applies to every call that has none of its own (spec: "batch context").
    const withContext = context && isObject(raw) && raw.context === undefined ? { ...raw, context } : raw;
    const result = parseCall(withContext, { index, receivedAt, batchSentAt: sentAt, inBatch: true });
    if (result.ok) calls.push(result.call);
    else errors.push(...result.errors);
  });
  if (errors.length) return { ok: false, errors: errors.slice(0, 20).concat(errors.length > 20 ? [`… and ${errors.length - 20} more.`] : []) };
  return { ok: true, calls };
}
