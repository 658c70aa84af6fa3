/**
 * Whether the freeze button's last message still holds after the audience's versions changed.
 * The refresh that follows our own freeze adds the version we just made: the message stays.
 * Any other change (a version deleted, someone else's freeze) makes it stale.
 */
export function freezeMessageStillHolds(before: readonly number[], after: readonly number[], frozenNumber: number | undefined): boolean {
  if (frozenNumber === undefined) return false;
  return !before.includes(frozenNumber) && after.includes(frozenNumber) && after.length === before.length + 1 && before.every((n) => after.includes(n));
}
