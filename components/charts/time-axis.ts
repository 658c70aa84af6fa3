/**
 * A time-scaled x axis: the domain spans the data (padded when there is a single point), ticks fall
 * on round UTC instants at a step that gives about `target` of them, and labels carry the date
 * once the range spans more than a day. Times are UTC like everywhere else in the app.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const STEPS = [1, 2, 5, 10, 15, 30].map((m) => m * MINUTE).concat([1, 2, 3, 6, 12].map((h) => h * HOUR), [1, 2, 7, 14].map((d) => d * DAY));
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120];
/** 1970-01-01 was a Thursday: weekly ticks start from the Monday after. */
const MONDAY = 4 * DAY;

/** The x domain: the data's first and last instant; one point gets half an hour on either side. */
export function timeDomain(times: readonly number[]): [number, number] {
  if (times.length === 0) return [0, 1];
  const min = Math.min(...times);
  const max = Math.max(...times);
  return min === max ? [min - 30 * MINUTE, max + 30 * MINUTE] : [min, max];
}

/** Round instants inside [min, max], about `target` of them (never more than `target` + 1). */
export function timeTicks([min, max]: readonly [number, number], target = 5): number[] {
  const span = max - min;
  if (!(span > 0)) return [min];
  const step = STEPS.find((s) => span / s <= target);
  if (step === undefined) return monthTicks(min, max, target);
  const offset = step >= 7 * DAY ? MONDAY : 0;
  const ticks: number[] = [];
  for (let t = Math.ceil((min - offset) / step) * step + offset; t <= max; t += step) ticks.push(t);
  return ticks;
}

/** Past a few weeks: the first of every Nth month. */
function monthTicks(min: number, max: number, target: number): number[] {
  const first = new Date(min);
  const months = (new Date(max).getUTCFullYear() - first.getUTCFullYear()) * 12 + new Date(max).getUTCMonth() - first.getUTCMonth() + 1;
  const step = MONTH_STEPS.find((m) => months / m <= target) ?? Math.ceil(months / target / 12) * 12;
  const ticks: number[] = [];
  let index = Math.ceil((first.getUTCFullYear() * 12 + first.getUTCMonth()) / step) * step;
  for (let t = Date.UTC(Math.floor(index / 12), index % 12, 1); t <= max; index += step, t = Date.UTC(Math.floor(index / 12), index % 12, 1)) {
    if (t >= min) ticks.push(t);
  }
  return ticks;
}

const timeOnly = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayAndTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayOnly = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const dayAndYear = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

/** Tick labels for a domain: "14:30" within a day, "3 Dec 14:30" over a few days, "3 Dec" beyond, with the year past ~a year. */
export function timeTickFormatter([min, max]: readonly [number, number]): (t: number) => string {
  const span = max - min;
  const sameDay = new Date(min).toISOString().slice(0, 10) === new Date(max).toISOString().slice(0, 10);
  if (span <= DAY && sameDay) return (t) => timeOnly.format(t);
  if (span <= 3 * DAY) return (t) => dayAndTime.format(t).replace(',', '');
  if (span <= 300 * DAY) return (t) => dayOnly.format(t);
  return (t) => dayAndYear.format(t);
}
