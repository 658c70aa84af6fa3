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

export function versionCsvFilename(audienceName: string, number: number, rows: number): string {
  return `${slugify(audienceName)}-v${number}-${rows}rows.csv`;
}
