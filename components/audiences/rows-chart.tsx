'use client';

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** Rows per version, oldest first: how the audience's size moved between freezes. */
export function RowsChart({ points }: { points: { number: number; rows: number }[] }) {
  const data = points.map((p) => ({ version: `v${p.number}`, rows: p.rows }));
  return (
    <div className="h-48 w-full" data-testid="rows-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis dataKey="version" tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={56} />
          <Tooltip />
          <Line type="monotone" dataKey="rows" stroke="#1f58d1" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
