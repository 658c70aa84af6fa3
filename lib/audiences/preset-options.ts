/** The export presets by id and name, for pages and forms (presets.ts holds how each is written). */
export type PresetId = 'google' | 'meta';

export const PRESET_OPTIONS: readonly { id: PresetId; label: string }[] = [
  { id: 'google', label: 'Google Ads Customer Match' },
  { id: 'meta', label: 'Meta custom audience (customer list)' },
];

/** The catalogue columns the presets read, in their order: what an audience freezes to fill a preset file. */
export const PRESET_SOURCE_COLUMNS = ['email', 'phone', 'firstName', 'lastName', 'country', 'postalCode'] as const;

/** The download's query string: "" for the plain file, else e.g. "?bom=1&preset=google&hash=sha256". */
export function downloadQuery(options: { bom: boolean; preset: PresetId | null; hashed: boolean }): string {
  const params = new URLSearchParams();
  if (options.bom) params.set('bom', '1');
  if (options.preset) params.set('preset', options.preset);
  if (options.preset && options.hashed) params.set('hash', 'sha256');
  const text = params.toString();
  return text ? `?${text}` : '';
}
