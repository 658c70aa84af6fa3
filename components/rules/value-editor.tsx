'use client';

import clsx from 'clsx';
import { useEffect, useState } from 'react';
import { update, type ValueEditorProps } from 'react-querybuilder';
import { BUILT_IN_CATALOG, CASE_SENSITIVE_CAPABLE, COMPARATORS, TIME_UNITS, findOperator, type FieldDef, type OperatorDef } from '@/lib/rules/fields';
import { MAX_ANNIVERSARY_DAYS, MAX_EVENT_FILTERS, PROPERTY_OPERATORS } from '@/lib/rules/parse';
import { splitList, type RuleBuilderContext } from './builder-config';
import { SegmentSelect } from './segment-select';
import { useValueHelp } from './value-help';
import {
  COMPARATOR_LABELS,
  PROPERTY_OPERATOR_LABELS,
  anniversaryDays,
  asText,
  isObject,
  newFilter,
  propertyValue,
  relativeParts,
  switchFilterTarget,
  toStored,
  withoutEmptyWhere,
  type EventShape,
  type RawFilter,
} from './value-shapes';

/**
 * Value editors shaped by the operator's arity in lib/rules/fields.ts, producing exactly the
 * values lib/rules/parse.ts accepts: {amount, unit} for relative windows, a number of days for
 * anniversaries, {count, days, where} for events and {comparator, amount, days, where} for
 * revenue sums and averages (days empty means ever), a pair, a list (array), a calendar date,
 * or nothing. Fields are looked up in the builder's catalog (built-in fields and registered traits).
 */
// Inline inputs: the form's inputClass is a full-width block, which would stack the editors.
const box =
  'rounded-md border-0 bg-white px-2 py-1 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:outline-none focus:ring-2 focus:ring-brand-500 disabled:bg-slate-50 disabled:text-slate-500';
const select = clsx(box, 'pr-7');

export function RuleValueEditor(props: ValueEditorProps) {
  const catalog = (props.context as RuleBuilderContext | undefined)?.catalog ?? BUILT_IN_CATALOG;
  const field = catalog.find(props.field);
  const operator = field && findOperator(field.type, props.operator);
  if (!field || !operator) return null;
  const common = { disabled: props.disabled, onChange: props.handleOnChange };
  const wrap = (child: React.ReactNode) => (
    <span className="flex flex-wrap items-center gap-1.5 text-sm text-slate-600" data-testid="rule-value">
      {child}
    </span>
  );
  const matchCase =
    field.type === 'text' && CASE_SENSITIVE_CAPABLE.has(operator.name) ? (
      <MatchCase
        checked={(props.rule as { caseSensitive?: unknown }).caseSensitive === true}
        disabled={props.disabled}
        // The flag sits on the rule beside its value, which handleOnChange cannot reach.
        onChange={(checked) => props.schema.dispatchQuery(update(props.schema.getQuery(), 'caseSensitive', checked ? true : undefined, props.path))}
      />
    ) : null;

  switch (operator.arity) {
    case 'none':
      return null;
    case 'segment':
      return wrap(<SegmentSelect value={props.value} className={clsx(box, 'w-64')} {...common} />);
    case 'relative':
      return wrap(<RelativeEditor operator={operator} value={props.value} {...common} />);
    case 'anniversary':
      return wrap(
        <>
          <NumberBox value={anniversaryDays(props.value)} label="Number of days" testId="rule-anniversary-days" min={0} max={MAX_ANNIVERSARY_DAYS} {...common} />
          <span>days</span>
        </>,
      );
    case 'event':
      return <EventEditor field={field} value={props.value} {...common} />;
    case 'aggregate':
      return <AggregateEditor field={field} value={props.value} {...common} />;
    case 'pair':
      return wrap(<PairEditor field={field} value={props.value} {...common} />);
    case 'list':
      return wrap(
        <>
          <ListEditor field={field} value={props.value} disabled={props.disabled} onChange={props.handleOnChange} />
          {matchCase}
        </>,
      );
    case 'one':
      if (field.type === 'number') return wrap(<NumberBox value={props.value} label={field.label} testId="rule-number" decimals {...common} />);
      if (field.type === 'date') return wrap(<DateBox value={props.value} label={field.label} {...common} />);
      return wrap(
        <>
          <TextBox field={field} exact={props.operator === '=' || props.operator === '!='} value={props.value} {...common} />
          {matchCase}
        </>,
      );
  }
}

interface BoxProps {
  value: unknown;
  disabled?: boolean;
  onChange: (value: unknown) => void;
}

function MatchCase({ checked, disabled, onChange }: { checked: boolean; disabled?: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="inline-flex items-center gap-1 text-xs text-slate-600" title="Compare upper and lower case exactly (Berlin is not berlin)">
      <input
        type="checkbox"
        className="accent-brand-600"
        data-testid="rule-match-case"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      Match case
    </label>
  );
}

/** Free text; for "is" / "is not" on a field with known values, offers them (contains & co. take fragments). */
function TextBox({ field, exact, value, disabled, onChange }: BoxProps & { field: FieldDef; exact: boolean }) {
  const text = asText(value);
  const { listId, help } = useValueHelp(exact ? field : { ...field, suggestions: undefined }, text, 'one', onChange);
  return (
    <>
      <input
        type="text"
        aria-label={`${field.label} value`}
        data-testid="rule-text"
        className={clsx(box, 'w-56')}
        list={listId}
        autoComplete="off"
        value={text}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      />
      {help}
    </>
  );
}

function NumberBox({
  value,
  disabled,
  onChange,
  label,
  testId,
  decimals,
  min,
  max,
  placeholder,
  className,
}: BoxProps & { label: string; testId: string; decimals?: boolean; min?: number; max?: number; placeholder?: string; className?: string }) {
  return (
    <input
      type="number"
      inputMode={decimals ? 'decimal' : 'numeric'}
      step={decimals ? 'any' : 1}
      min={min}
      max={max}
      aria-label={label}
      placeholder={placeholder}
      data-testid={testId}
      className={clsx(box, className ?? 'w-24')}
      value={asText(value)}
      disabled={disabled}
      onChange={(e) => onChange(toStored(e.target.value))}
    />
  );
}

function DateBox({ value, disabled, onChange, label }: BoxProps & { label: string }) {
  const text = asText(value);
  return (
    <input
      type="date"
      aria-label={label}
      data-testid="rule-date"
      className={clsx(box, 'w-40')}
      value={/^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : ''}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** "in the last [3] [months]", "more than [90] [days] ago": {amount, unit}; a plain number (first version) is days. */
function RelativeEditor({ operator, value, disabled, onChange }: BoxProps & { operator: OperatorDef }) {
  const { amount, unit } = relativeParts(value);
  return (
    <>
      <NumberBox
        value={amount}
        label="Amount of time"
        testId="rule-relative-amount"
        min={1}
        className="w-20"
        disabled={disabled}
        onChange={(next) => onChange({ amount: next, unit })}
      />
      <select
        aria-label="Unit of time"
        data-testid="rule-relative-unit"
        className={select}
        value={unit}
        disabled={disabled}
        onChange={(e) => onChange({ amount, unit: e.target.value })}
      >
        {TIME_UNITS.map((u) => (
          <option key={u} value={u}>
            {u}
          </option>
        ))}
      </select>
      {operator.name === 'moreThanAgo' && <span>ago</span>}
    </>
  );
}

/** The window of event conditions: a number of days, or empty for ever. */
function WindowBox({ value, disabled, onChange }: BoxProps) {
  return (
    <>
      <NumberBox
        value={value}
        label="Window in days (empty for ever)"
        placeholder="ever"
        testId="rule-event-days"
        min={1}
        className="w-20"
        disabled={disabled}
        onChange={(days) => onChange(days === '' ? null : days)}
      />
      <span>days</span>
    </>
  );
}

/** "[1] orders in the last [90] days", then the conditions on those orders. */
function EventEditor({ field, value, disabled, onChange }: BoxProps & { field: FieldDef }) {
  const v: EventShape = isObject(value) ? value : {};
  const set = (next: EventShape) => onChange(withoutEmptyWhere({ count: v.count ?? '', days: v.days ?? null, where: v.where, ...next }));
  return (
    <EventLayout
      main={
        <>
          <NumberBox value={v.count} label="How many times" testId="rule-event-count" min={0} className="w-20" disabled={disabled} onChange={(count) => set({ count })} />
          <span>{field.noun ?? 'times'} in the last</span>
          <WindowBox value={v.days} disabled={disabled} onChange={(days) => set({ days })} />
        </>
      }
      where={<EventFilters field={field} value={v.where} disabled={disabled} onChange={(where) => set({ where })} />}
    />
  );
}

/** "total revenue [≥] [100] of orders in the last [365] days", then the conditions on those orders. */
function AggregateEditor({ field, value, disabled, onChange }: BoxProps & { field: FieldDef }) {
  const v: EventShape = isObject(value) ? value : {};
  const set = (next: EventShape) => onChange(withoutEmptyWhere({ comparator: v.comparator ?? '>=', amount: v.amount ?? '', days: v.days ?? null, where: v.where, ...next }));
  return (
    <EventLayout
      main={
        <>
          <select
            aria-label="Comparison"
            data-testid="rule-aggregate-comparator"
            className={select}
            value={typeof v.comparator === 'string' ? v.comparator : '>='}
            disabled={disabled}
            onChange={(e) => set({ comparator: e.target.value })}
          >
            {COMPARATORS.map((c) => (
              <option key={c} value={c}>
                {COMPARATOR_LABELS[c]}
              </option>
            ))}
          </select>
          <NumberBox value={v.amount} label="Amount of revenue" testId="rule-aggregate-amount" decimals disabled={disabled} onChange={(amount) => set({ amount })} />
          <span>from {field.many ?? 'events'} in the last</span>
          <WindowBox value={v.days} disabled={disabled} onChange={(days) => set({ days })} />
        </>
      }
      where={<EventFilters field={field} value={v.where} disabled={disabled} onChange={(where) => set({ where })} />}
    />
  );
}

function EventLayout({ main, where }: { main: React.ReactNode; where: React.ReactNode }) {
  return (
    <span className="flex flex-col gap-1.5 text-sm text-slate-600" data-testid="rule-value">
      <span className="flex flex-wrap items-center gap-1.5">{main}</span>
      {where}
    </span>
  );
}

/** "where [revenue] [≥] [10] ×" rows under an event condition, at most MAX_EVENT_FILTERS. */
function EventFilters({ field, value, disabled, onChange }: { field: FieldDef; value: unknown; disabled?: boolean; onChange: (where: RawFilter[]) => void }) {
  const filters: RawFilter[] = Array.isArray(value) ? value.filter(isObject) : [];
  const setAt = (i: number, next: RawFilter) => onChange(filters.map((f, j) => (j === i ? next : f)));
  const removeAt = (i: number) => onChange(filters.filter((_, j) => j !== i));
  return (
    <span className="flex flex-col gap-1 border-l-2 border-slate-200 pl-2" data-testid="rule-event-filters">
      {filters.map((f, i) => {
        const on = f.on === 'property' ? 'property' : 'revenue';
        const n = i + 1;
        return (
          <span key={i} className="flex flex-wrap items-center gap-1.5" data-testid="rule-event-filter">
            <span className="w-10 text-xs text-slate-500">{i === 0 ? 'where' : 'and'}</span>
            <select
              aria-label={`Event condition ${n}: revenue or property`}
              data-testid="rule-filter-on"
              className={select}
              value={on}
              disabled={disabled}
              onChange={(e) => setAt(i, switchFilterTarget(f, e.target.value === 'property' ? 'property' : 'revenue'))}
            >
              <option value="revenue">revenue</option>
              <option value="property">property</option>
            </select>
            {on === 'property' && (
              <input
                type="text"
                aria-label={`Event condition ${n}: property name`}
                placeholder="property"
                data-testid="rule-filter-key"
                className={clsx(box, 'w-32')}
                autoComplete="off"
                value={asText(f.key)}
                disabled={disabled}
                onChange={(e) => setAt(i, { ...f, key: e.target.value })}
              />
            )}
            <select
              aria-label={`Event condition ${n}: comparison`}
              data-testid="rule-filter-operator"
              className={select}
              value={typeof f.operator === 'string' ? f.operator : ''}
              disabled={disabled}
              onChange={(e) => {
                const operator = e.target.value;
                setAt(i, { ...f, operator, value: on === 'property' ? propertyValue(operator, asText(f.value)) : f.value });
              }}
            >
              {(on === 'revenue' ? COMPARATORS : PROPERTY_OPERATORS).map((o) => (
                <option key={o} value={o}>
                  {on === 'revenue' ? COMPARATOR_LABELS[o] : PROPERTY_OPERATOR_LABELS[o]}
                </option>
              ))}
            </select>
            {on === 'revenue' ? (
              <NumberBox value={f.value} label={`Event condition ${n}: revenue`} testId="rule-filter-value" decimals disabled={disabled} onChange={(v) => setAt(i, { ...f, value: v })} />
            ) : (
              <input
                type="text"
                aria-label={`Event condition ${n}: value`}
                data-testid="rule-filter-value"
                className={clsx(box, 'w-32')}
                autoComplete="off"
                value={asText(f.value)}
                disabled={disabled}
                onChange={(e) => setAt(i, { ...f, value: propertyValue(f.operator, e.target.value) })}
              />
            )}
            <button
              type="button"
              aria-label={`Remove event condition ${n}`}
              title="Remove this condition on the events"
              data-testid="rule-filter-remove"
              className="rounded px-1.5 text-slate-400 hover:bg-red-50 hover:text-red-700 disabled:opacity-50"
              disabled={disabled}
              onClick={() => removeAt(i)}
            >
              ×
            </button>
          </span>
        );
      })}
      {filters.length < MAX_EVENT_FILTERS && (
        <button
          type="button"
          className="self-start rounded px-1 text-xs font-medium text-brand-700 hover:bg-brand-50 disabled:opacity-50"
          title={`Only count ${field.many ?? 'events'} with a given revenue or property`}
          data-testid="rule-filter-add"
          disabled={disabled}
          onClick={() => onChange([...filters, newFilter()])}
        >
          + where
        </button>
      )}
      {filters.length >= MAX_EVENT_FILTERS && <span className="text-xs text-slate-500">At most {MAX_EVENT_FILTERS} conditions on the {field.many ?? 'events'}.</span>}
    </span>
  );
}

function PairEditor({ field, value, disabled, onChange }: BoxProps & { field: FieldDef }) {
  const pair = Array.isArray(value) && value.length === 2 ? value : ['', ''];
  const setAt = (i: 0 | 1, v: unknown) => onChange(i === 0 ? [v, pair[1]] : [pair[0], v]);
  const box = (i: 0 | 1) =>
    field.type === 'date' ? (
      <DateBox value={pair[i]} label={`${field.label} ${i === 0 ? 'from' : 'to'}`} disabled={disabled} onChange={(v) => setAt(i, v)} />
    ) : (
      <NumberBox value={pair[i]} label={`${field.label} ${i === 0 ? 'from' : 'to'}`} testId="rule-number" decimals disabled={disabled} onChange={(v) => setAt(i, v)} />
    );
  return (
    <>
      {box(0)}
      <span>and</span>
      {box(1)}
    </>
  );
}

/** Comma-separated text in, an array out. Keeps the typed text locally so spaces inside values survive. */
function ListEditor({ field, value, disabled, onChange }: BoxProps & { field: FieldDef }) {
  const values = Array.isArray(value) ? value.map(String) : [];
  const [text, setText] = useState(values.join(', '));
  const key = values.join('\u0000');
  useEffect(() => {
    // Follow outside changes (reset, undo) but not the echo of our own typing.
    setText((current) => (splitList(current).join('\u0000') === key ? current : key.split('\u0000').filter(Boolean).join(', ')));
  }, [key]);
  const edit = (next: string) => {
    setText(next);
    onChange(splitList(next));
  };
  const { listId, help } = useValueHelp(field, text, 'list', edit);
  return (
    <>
      <input
        type="text"
        aria-label="Values, separated by commas"
        placeholder="value, value, …"
        data-testid="rule-list"
        className={clsx(box, 'w-72')}
        list={listId}
        autoComplete="off"
        value={text}
        disabled={disabled}
        onChange={(e) => edit(e.target.value)}
      />
      {help}
    </>
  );
}
