'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame } from './chart-frame';
import { AXIS_PROPS, GRID_STROKE, TOOLTIP_STYLE, type SeriesChartProps } from './theme';

/** A line per series over a categorical x axis (e.g. one point per evaluation run). */
export function LineSeriesChart({
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
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={GRID_STROKE} vertical={false} />
          <XAxis dataKey={xKey} {...AXIS_PROPS} minTickGap={24} />
          <YAxis {...AXIS_PROPS} allowDecimals={false} width={56} />
          <Tooltip {...TOOLTIP_STYLE} />
          {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
          {series.map((s) => (
            <Line key={s.key} type="linear" dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} dot={data.length < 40} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
