import { createHash } from 'node:crypto';

/**
 * Normalising contact identifiers for ad platforms' customer-list uploads (docs/audiences.md).
 * The platforms match on SHA-256 hashes of normalised values, so a hash is only useful when the
 * normalisation is exactly the one the platform applies on its side.
 */

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Trim and lower-case; null when nothing is left or it is not shaped like an address. */
export function normaliseEmail(raw: string | null | undefined): string | null {
  const email = (raw ?? '').trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}

/**
 * ISO 3166-1 alpha-2 code -> international calling code, and whether the national trunk '0' is
 * kept after the country code (Italy, San Marino, Vatican). NANP countries share "1".
 */
const CALLING: Record<string, { code: string; keepZero?: true }> = {
  AD: { code: '376' }, AE: { code: '971' }, AR: { code: '54' }, AT: { code: '43' }, AU: { code: '61' }, BA: { code: '387' },
  BE: { code: '32' }, BG: { code: '359' }, BH: { code: '973' }, BR: { code: '55' }, BY: { code: '375' }, CA: { code: '1' },
  CH: { code: '41' }, CL: { code: '56' }, CN: { code: '86' }, CO: { code: '57' }, CY: { code: '357' }, CZ: { code: '420' },
  DE: { code: '49' }, DK: { code: '45' }, EE: { code: '372' }, EG: { code: '20' }, ES: { code: '34' }, FI: { code: '358' },
  FO: { code: '298' }, FR: { code: '33' }, GB: { code: '44' }, GG: { code: '44' }, GI: { code: '350' }, GR: { code: '30' },
  HK: { code: '852' }, HR: { code: '385' }, HU: { code: '36' }, ID: { code: '62' }, IE: { code: '353' }, IL: { code: '972' },
  IM: { code: '44' }, IN: { code: '91' }, IS: { code: '354' }, IT: { code: '39', keepZero: true }, JE: { code: '44' },
  JO: { code: '962' }, JP: { code: '81' }, KR: { code: '82' }, KW: { code: '965' }, LB: { code: '961' }, LI: { code: '423' },
  LT: { code: '370' }, LU: { code: '352' }, LV: { code: '371' }, MA: { code: '212' }, MC: { code: '377' }, MD: { code: '373' },
  ME: { code: '382' }, MK: { code: '389' }, MT: { code: '356' }, MX: { code: '52' }, MY: { code: '60' }, NG: { code: '234' },
  NL: { code: '31' }, NO: { code: '47' }, NZ: { code: '64' }, OM: { code: '968' }, PH: { code: '63' }, PK: { code: '92' },
  PL: { code: '48' }, PT: { code: '351' }, QA: { code: '974' }, RO: { code: '40' }, RS: { code: '381' }, RU: { code: '7' },
  SA: { code: '966' }, SE: { code: '46' }, SG: { code: '65' }, SI: { code: '386' }, SK: { code: '421' }, SM: { code: '378', keepZero: true },
  TH: { code: '66' }, TN: { code: '216' }, TR: { code: '90' }, TW: { code: '886' }, UA: { code: '380' }, US: { code: '1' },
  VA: { code: '39', keepZero: true }, VN: { code: '84' }, ZA: { code: '27' },
};

/**
 * The phone as E.164 digits without the '+' ("447700900123"), or null when it cannot be made one.
 * - Everything but digits is dropped (spaces, dots, dashes, brackets), after noting a leading '+';
 *   a bracketed trunk zero "(0)" is dropped too.
 * - '+' or '00' in front: the digits already start with the country code.
 * - Otherwise the number is national: one trunk '0' is dropped (kept for Italy, San Marino and the
 *   Vatican) and the calling code of `countryCode` (ISO alpha-2) is put in front. A NANP number (+1)
 *   of 11 digits starting with 1 already carries it. Unknown country: null, never a guess.
 * - The result must be 8 to 15 digits (E.164's maximum) and must not start with 0.
 */
export function normalisePhone(raw: string | null | undefined, countryCode: string | null): string | null {
  const text = (raw ?? '').trim();
  if (!text) return null;
  // "+44 (0)20 …" writes the trunk zero in brackets: it is not dialled from abroad.
  const digits = text.replace(/\(0\)/g, '').replace(/\D/g, '');
  let e164: string;
  if (text.startsWith('+')) e164 = digits;
  else if (digits.startsWith('00')) e164 = digits.slice(2);
  else {
    const calling = countryCode ? CALLING[countryCode] : undefined;
    if (!calling) return null;
    if (calling.code === '1' && digits.length === 11 && digits.startsWith('1')) e164 = digits;
    else e164 = calling.code + (digits.startsWith('0') && !calling.keepZero ? digits.slice(1) : digits);
  }
  return /^[1-9]\d{7,14}$/.test(e164) ? e164 : null;
}

// Country names in the data that are not CLDR's English names (the demo dataset writes EIRE and RSA).
const COUNTRY_ALIASES: Record<string, string> = {
  eire: 'IE', rsa: 'ZA', usa: 'US', 'united states of america': 'US', uk: 'GB', 'great britain': 'GB', england: 'GB',
  scotland: 'GB', wales: 'GB', 'northern ireland': 'GB', 'czech republic': 'CZ', czechia: 'CZ', turkey: 'TR', türkiye: 'TR',
  russia: 'RU', 'south korea': 'KR', korea: 'KR', holland: 'NL', 'the netherlands': 'NL', 'hong kong': 'HK', 'uae': 'AE',
};

// Codes CLDR names that are not ISO 3166-1 countries (reserved, deprecated, groupings).
const NOT_COUNTRIES = new Set(['AC', 'CP', 'CQ', 'DG', 'EA', 'EU', 'EZ', 'FX', 'IC', 'QO', 'TA', 'UK', 'UN', 'XA', 'XB', 'XK', 'ZZ']);

let byName: Map<string, string> | null = null;
let codes: Set<string> | null = null;

function countryNames(): Map<string, string> {
  if (byName) return byName;
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const map = new Map<string, string>();
  const A = 65;
  for (let i = 0; i < 26; i++) {
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      let name: string | undefined;
      try {
        name = names.of(code);
      } catch {
        name = undefined;
      }
      // Deprecated codes (DD, UK, FX, YU…) canonicalise to their successor: only the successor counts.
      if (!name || name === code || NOT_COUNTRIES.has(code) || new Intl.Locale(`und-${code}`).region !== code) continue;
      const key = foldName(name);
      if (!map.has(key)) map.set(key, code);
    }
  }
  codes = new Set(map.values());
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) map.set(foldName(alias), code);
  byName = map;
  return map;
}

function foldName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * ISO 3166-1 alpha-2 code ("GB") for a country as profiles hold it: a code already, an English name
 * ("United Kingdom", "Czechia") or a known alias ("EIRE", "RSA", "USA"). Null for anything else
 * ("Channel Islands" and "European Community" have no code of their own).
 */
export function countryCode(raw: string | null | undefined): string | null {
  const text = (raw ?? '').trim();
  if (!text) return null;
  const names = countryNames();
  if (/^[A-Za-z]{2}$/.test(text)) {
    const code = text.toUpperCase();
    return code === 'UK' ? 'GB' : codes!.has(code) ? code : null;
  }
  return names.get(foldName(text)) ?? null;
}
