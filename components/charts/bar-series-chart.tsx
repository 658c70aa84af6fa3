'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame } from './chart-frame';
import { AXIS_PROPS, GRID_STROKE, TOOLTIP_STYLE, type SeriesChartProps } from './theme';

/** Side-by-side bars per x value (e.g. entered and left per run). */
export function BarSeriesChart({
  data,
  xKey,
  series,
  height = 240,
  emptyText = 'No data yet.',
  testId,
}: SeriesChartProps & { xKey: string }) {
  return (
    <ChartFrame height={height} empty={data.length === 0} emptyText={emptyText} testId={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={GRID_STROKE} vertical={false} />
          <XAxis dataKey={xKey} {...AXIS_PROPS} minTickGap={24} />
          <YAxis {...AXIS_PROPS} allowDecimals={false} width={56} />
          <Tooltip {...TOOLTIP_STYLE} cursor={{ fill: '#f1f5f9' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
