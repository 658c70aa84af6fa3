import type { PinEvaluation } from '@/lib/segments/pins';

export type PinChange = 'pin' | 'unpin';

/** What the person sees after pinning or unpinning: whether the tag already follows, and if not, when it will. */
export function pinOutcomeMessage(change: PinChange, evaluation: PinEvaluation): string {
  const done = change === 'pin' ? 'Pinned' : 'Pin lifted';
  switch (evaluation) {
    case 'evaluated':
      return change === 'pin' ? 'Pinned: the membership follows the pin now.' : 'Pin lifted: the rules decide the membership again.';
    case 'pending':
      return `${done}. Another evaluation is running: the next run applies the change.`;
    case 'paused':
      return `${done}. The segment is paused: the change applies when it is resumed.`;
    case 'not-needed':
      return 'This pin was already in place; nothing changed.';
  }
}
