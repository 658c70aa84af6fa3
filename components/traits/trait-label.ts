/**
 * A readable label for a key found in the data: "loyalty_tier" and "loyaltyTier" read
 * "Loyalty tier"; words in capitals ("VIP") stay as they are.
 */
export function labelFromKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => (w.length > 1 && w === w.toUpperCase() ? w : w.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const TRAIT_TYPE_LABELS: Record<string, string> = { text: 'Text', number: 'Number', date: 'Date', boolean: 'True / false' };
