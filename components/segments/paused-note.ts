import { formatCount, formatDateTime } from '../format';

export interface PausedNoteInput {
  pausedAt: Date | string | null;
  /** Version the members were evaluated with; null when never evaluated. */
  evaluatedVersion: number | null;
  evaluatedAt: Date | string | null;
  currentVersion: number;
  members: number;
}

/**
 * What a paused segment page must say when the definition shown is not the one its members came
 * from; null when they agree (the status card's hint is enough then).
 */
export function pausedNote({ pausedAt, evaluatedVersion, evaluatedAt, currentVersion, members }: PausedNoteInput): string | null {
  const paused = pausedAt ? `Paused since ${formatDateTime(pausedAt)}` : 'Paused';
  if (evaluatedVersion === null) return `${paused} and never evaluated, so it has no members; resume to evaluate version ${currentVersion}.`;
  if (evaluatedVersion >= currentVersion) return null;
  const shown = `the ${formatCount(members, 'member')} shown ${members === 1 ? 'is' : 'are'}`;
  return `${paused} — ${shown} from version ${evaluatedVersion} evaluated at ${formatDateTime(evaluatedAt)}; resume to evaluate version ${currentVersion}.`;
}
