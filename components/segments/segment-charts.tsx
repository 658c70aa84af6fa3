import { BarSeriesChart } from '@/components/charts/bar-series-chart';
import { CHART_COLORS } from '@/components/charts/theme';
import { TimeSeriesChart } from '@/components/charts/time-series-chart';
import { Card } from '@/components/ui/card';
import type { SegmentRunPoint } from '@/lib/segments/queries';

/** Bars for the most recent runs only: at one run every 15 minutes, older bars would be too thin to read. */
const BAR_RUNS = 60;

/** Size over time and movement per run, one point per evaluation run (from segment_run_results). */
export function SegmentCharts({ history }: { history: SegmentRunPoint[] }) {
  const data = history.map((p) => ({
    run: `#${p.runId}`,
    at: new Date(p.at).getTime(),
    members: p.members,
    entered: p.entered,
    left: p.left,
  }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="Size over time">
        <TimeSeriesChart data={data} timeKey="at" series={[{ key: 'members', label: 'Members', color: CHART_COLORS.brand }]} emptyText="Not evaluated yet." testId="chart-size" />
      </Card>
      <Card title={data.length > BAR_RUNS ? `Entered and left, last ${BAR_RUNS} runs` : 'Entered and left per run'}>
        <BarSeriesChart
          data={data.slice(-BAR_RUNS)}
          xKey="run"
          series={[
            { key: 'entered', label: 'Entered', color: CHART_COLORS.entered },
            { key: 'left', label: 'Left', color: CHART_COLORS.left },
          ]}
          emptyText="Not evaluated yet."
          testId="chart-movement"
        />
      </Card>
    </div>
  );
}
