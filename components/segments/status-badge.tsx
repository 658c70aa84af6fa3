import { Badge } from '@/components/ui/badge';

export function SegmentStatusBadge({ status, pending }: { status: 'ACTIVE' | 'PAUSED'; pending?: boolean }) {
  if (status === 'PAUSED') return <Badge tone="gray">Paused</Badge>;
  return pending ? <Badge tone="amber">Evaluation pending</Badge> : <Badge tone="green">Active</Badge>;
}

export function RunStatusBadge({ status }: { status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' }) {
  const tone = status === 'SUCCEEDED' ? 'green' : status === 'FAILED' ? 'red' : 'blue';
  return <Badge tone={tone}>{status.toLowerCase()}</Badge>;
}
