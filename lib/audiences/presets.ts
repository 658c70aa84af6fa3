import type { CellKind } from '../csv/write';
import { countryCode, normaliseEmail, normalisePhone, sha256Hex } from './identifiers';
import { PRESET_OPTIONS, PRESET_SOURCE_COLUMNS, type PresetId } from './preset-options';

/**
 * Export presets: a version's frozen cells rewritten as the customer-list file an ad platform
 * takes, under its column names. They work on the frozen cells only (never on today's profiles),
 * so a preset file of v3 is always derived from exactly what v3 froze.
 *
 * Each preset column reads one catalogue column of the version; a column the version did not
 * freeze is left out of the file. Country becomes an ISO 3166-1 alpha-2 code, the phone E.164
 * (with the profile's country for national numbers; see identifiers.ts), e-mail trimmed and
 * lower-cased. With `hashed`, e-mail and phone are sent as lower-case hex SHA-256 of those
 * normalised values instead; names, country and postal code stay plain.
 */
export type { PresetId };
type Source = (typeof PRESET_SOURCE_COLUMNS)[number];

interface PresetDef {
  id: PresetId;
  label: string;
  columns: readonly { header: string; source: Source }[];
  /** What is hashed for a phone: Google hashes E.164 with its '+', Meta the digits alone. */
  phoneHashInput: 'plus' | 'digits';
  /** Meta wants country codes and postal codes lower-case without spaces. */
  lowerCase: boolean;
}

export const PRESETS: Readonly<Record<PresetId, PresetDef>> = {
  google: {
    id: 'google',
    label: PRESET_OPTIONS[0]!.label,
    columns: [
      { header: 'Email', source: 'email' },
      { header: 'Phone', source: 'phone' },
      { header: 'First Name', source: 'firstName' },
      { header: 'Last Name', source: 'lastName' },
      { header: 'Country', source: 'country' },
      { header: 'Zip', source: 'postalCode' },
    ],
    phoneHashInput: 'plus',
    lowerCase: false,
  },
  meta: {
    id: 'meta',
    label: PRESET_OPTIONS[1]!.label,
    columns: [
      { header: 'email', source: 'email' },
      { header: 'phone', source: 'phone' },
      { header: 'fn', source: 'firstName' },
      { header: 'ln', source: 'lastName' },
      { header: 'country', source: 'country' },
      { header: 'zip', source: 'postalCode' },
    ],
    phoneHashInput: 'digits',
    lowerCase: true,
  },
};

export const PRESET_IDS = Object.keys(PRESETS) as PresetId[];


export function isPresetId(value: string): value is PresetId {
  return Object.hasOwn(PRESETS, value);
}

export interface PresetLayout {
  header: string[];
  kinds: CellKind[];
  /** Frozen cells (in the version's column order) -> the preset file's cells. */
  row: (cells: readonly (string | null)[]) => (string | null)[];
}

export type PresetLayoutResult = { ok: true; layout: PresetLayout } | { ok: false; message: string };

/** How one version's columns become the preset's file; refused when the version holds no e-mail and no phone. */
export function presetLayout(preset: PresetId, versionColumns: readonly string[], hashed: boolean): PresetLayoutResult {
  const def = PRESETS[preset];
  const at = (key: Source) => versionColumns.indexOf(key);
  const present = def.columns.filter((c) => at(c.source) >= 0);
  if (!present.some((c) => c.source === 'email' || c.source === 'phone')) {
    return { ok: false, message: `${def.label} needs an e-mail or phone column, and this version froze neither. Add them to the audience's columns and freeze a new version.` };
  }
  const countryAt = at('country');
  const cellFns = present.map((c) => cellFunction(def, c.source, at(c.source), countryAt, hashed));
  return {
    ok: true,
    layout: {
      header: present.map((c) => c.header),
      // A plain E.164 phone begins with '+', which formula neutralisation would otherwise prefix.
      kinds: present.map((c) => (c.source === 'phone' && !hashed && def.phoneHashInput === 'plus' ? 'phone' : 'text')),
      row: (cells) => cellFns.map((fn) => fn(cells)),
    },
  };
}

type CellFn = (cells: readonly (string | null)[]) => string | null;

function cellFunction(def: PresetDef, source: Source, index: number, countryAt: number, hashed: boolean): CellFn {
  const lower = (v: string) => (def.lowerCase ? v.toLowerCase() : v);
  switch (source) {
    case 'email':
      return (cells) => {
        const email = normaliseEmail(cells[index]);
        return email === null ? null : hashed ? sha256Hex(email) : email;
      };
    case 'phone':
      return (cells) => {
        const country = countryAt >= 0 ? cachedCountry(cells[countryAt]) : null;
        const digits = normalisePhone(cells[index], country);
        if (digits === null) return null;
        const value = def.phoneHashInput === 'plus' ? `+${digits}` : digits;
        return hashed ? sha256Hex(value) : value;
      };
    case 'country':
      return (cells) => {
        const code = cachedCountry(cells[index]);
        return code === null ? null : lower(code);
      };
    case 'postalCode':
      return (cells) => {
        const zip = (cells[index] ?? '').trim();
        if (!zip) return null;
        return def.lowerCase ? zip.toLowerCase().replace(/\s+/g, '') : zip;
      };
    default:
      return (cells) => {
        const name = (cells[index] ?? '').trim();
        return name || null;
      };
  }
}

// Countries repeat across millions of rows; the lookup normalises Unicode, so remember the answers.
const countryCache = new Map<string, string | null>();
function cachedCountry(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let code = countryCache.get(raw);
  if (code === undefined) {
    code = countryCode(raw);
    if (countryCache.size < 10_000) countryCache.set(raw, code);
  }
  return code;
}
