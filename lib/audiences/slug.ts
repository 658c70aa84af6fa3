/** A safe ASCII slug for file names: "Café VIPs (UK)!" -> "cafe-vips-uk". */
export function slugify(text: string, fallback = 'audience'): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || fallback;
}

/** "lapsed-buyers-v3-1250rows.csv", with an optional slug-safe suffix ("-google-sha256"). */
export function versionCsvFilename(audienceName: string, number: number, rows: number, suffix?: string): string {
  return `${slugify(audienceName)}-v${number}-${rows}rows${suffix ? `-${slugify(suffix, 'file')}` : ''}.csv`;
}
