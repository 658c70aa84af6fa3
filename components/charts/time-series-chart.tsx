'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDateTime } from '../format';
import { ChartFrame } from './chart-frame';
import { AXIS_PROPS, GRID_STROKE, TOOLTIP_STYLE, type SeriesChartProps } from './theme';
import { timeDomain, timeTickFormatter, timeTicks } from './time-axis';

/**
 * A line per series over real time: `timeKey` holds epoch milliseconds, so points sit as far apart
 * as the moments they were taken (runs are not evenly spaced) and ticks fall on round UTC instants.
 */
export function TimeSeriesChart({
  data,
  timeKey,
  series,
  height = 240,
  emptyText = 'No data yet.',
  testId,
}: SeriesChartProps & { timeKey: string }) {
  const domain = timeDomain(data.map((d) => Number(d[timeKey])));
  return (
    <ChartFrame height={height} empty={data.length === 0} emptyText={emptyText} testId={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 24, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={GRID_STROKE} vertical={false} />
          <XAxis
            dataKey={timeKey}
            type="number"
            scale="time"
            domain={domain}
            ticks={timeTicks(domain)}
            tickFormatter={timeTickFormatter(domain)}
            {...AXIS_PROPS}
          />
          <YAxis {...AXIS_PROPS} allowDecimals={false} width={56} />
          <Tooltip {...TOOLTIP_STYLE} labelFormatter={(t) => formatDateTime(new Date(Number(t)))} />
          {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
          {series.map((s) => (
            <Line key={s.key} type="linear" dataKey={s.key} name={s.label} stroke={s.color} strokeWidth={2} dot={data.length < 40} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
