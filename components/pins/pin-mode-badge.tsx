import { Badge } from '@/components/ui/badge';
import type { PinMode } from '@/lib/segments/pin-schema';

export function PinModeBadge({ mode }: { mode: PinMode }) {
  return mode === 'IN' ? <Badge tone="green">pinned in</Badge> : <Badge tone="red">pinned out</Badge>;
}

/** Shown while the tag does not follow the pin yet (a busy run, or a paused segment). */
export function PinNotInEffect({ paused }: { paused?: boolean }) {
  return <Badge tone="amber">{paused ? 'applies on resume' : 'applies at next run'}</Badge>;
}
