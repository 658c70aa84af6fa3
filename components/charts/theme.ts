/** One palette and axis style for every chart, matching the Tailwind theme. */
export const CHART_COLORS = {
  brand: '#1f58d1',
  entered: '#059669',
  left: '#dc2626',
  muted: '#94a3b8',
} as const;

export const AXIS_PROPS = {
  stroke: '#94a3b8',
  tick: { fill: '#64748b', fontSize: 12 },
  tickLine: false,
} as const;

export const GRID_STROKE = '#e2e8f0';

export const TOOLTIP_STYLE = {
  contentStyle: { borderRadius: 8, border: '1px solid #e2e8f0', fontSize: 12 },
  labelStyle: { color: '#334155', fontWeight: 600 },
} as const;

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

export type ChartDatum = Record<string, string | number | null>;

/** What every chart of ours takes; each adds the key of its x values. */
export interface SeriesChartProps {
  data: ChartDatum[];
  series: ChartSeries[];
  height?: number;
  emptyText?: string;
  testId?: string;
}
