'use client';

import clsx from 'clsx';
import { useEffect, useState } from 'react';
import type { ValueEditorProps } from 'react-querybuilder';
import { findField, findOperator, type FieldDef } from '@/lib/rules/fields';
import { splitList } from './builder-config';
import { SegmentSelect } from './segment-select';
import { useValueHelp } from './value-help';

/**
 * Value editors shaped by the operator's arity in lib/rules/fields.ts, producing exactly the
 * values lib/rules/parse.ts accepts: a number of days, {count, days} for events (days empty means
 * ever), a pair, a list (array), a calendar date, or nothing.
 */
// Inline inputs: the form's inputClass is a full-width block, which would stack the editors.
const box =
  'rounded-md border-0 bg-white px-2 py-1 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:outline-none focus:ring-2 focus:ring-brand-500 disabled:bg-slate-50 disabled:text-slate-500';

export function RuleValueEditor(props: ValueEditorProps) {
  const field = findField(props.field);
  const operator = field && findOperator(field.type, props.operator);
  if (!field || !operator) return null;
  const common = { disabled: props.disabled, onChange: props.handleOnChange };
  const wrap = (child: React.ReactNode) => (
    <span className="flex flex-wrap items-center gap-1.5 text-sm text-slate-600" data-testid="rule-value">
      {child}
    </span>
  );

  switch (operator.arity) {
    case 'none':
      return null;
    case 'segment':
      return wrap(<SegmentSelect value={props.value} className={clsx(box, 'w-64')} {...common} />);
    case 'relative':
    case 'anniversary':
      return wrap(
        <>
          <NumberBox value={props.value} label="Number of days" testId="rule-days" {...common} />
          <span>days</span>
        </>,
      );
    case 'aggregate':
      return null;
    case 'event':
      return wrap(<EventEditor field={field} value={props.value} {...common} />);
    case 'pair':
      return wrap(<PairEditor field={field} value={props.value} {...common} />);
    case 'list':
      return wrap(<ListEditor field={field} value={props.value} disabled={props.disabled} onChange={props.handleOnChange} />);
    case 'one':
      if (field.type === 'number') return wrap(<NumberBox value={props.value} label={field.label} testId="rule-number" decimals {...common} />);
      if (field.type === 'date') return wrap(<DateBox value={props.value} label={field.label} {...common} />);
      return wrap(<TextBox field={field} exact={props.operator === '=' || props.operator === '!='} value={props.value} {...common} />);
  }
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

interface BoxProps {
  value: unknown;
  disabled?: boolean;
  onChange: (value: unknown) => void;
}

/** A numeric string becomes a number; anything else stays as typed so the parser can say what is wrong. */
function toStored(text: string): number | string {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
}

function asText(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
}

function NumberBox({ value, disabled, onChange, label, testId, decimals }: BoxProps & { label: string; testId: string; decimals?: boolean }) {
  return (
    <input
      type="number"
      inputMode={decimals ? 'decimal' : 'numeric'}
      step={decimals ? 'any' : 1}
      aria-label={label}
      data-testid={testId}
      className={clsx(box, 'w-24')}
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

function EventEditor({ field, value, disabled, onChange }: BoxProps & { field: FieldDef }) {
  const v = (typeof value === 'object' && value !== null ? value : {}) as { count?: unknown; days?: unknown };
  const set = (next: { count?: unknown; days?: unknown }) => onChange({ count: v.count ?? '', days: v.days ?? null, ...next });
  return (
    <>
      <input
        type="number"
        min={0}
        step={1}
        aria-label="How many times"
        data-testid="rule-event-count"
        className={clsx(box, 'w-20')}
        value={asText(v.count)}
        disabled={disabled}
        onChange={(e) => set({ count: toStored(e.target.value) })}
      />
      <span>{field.noun ?? 'times'} in the last</span>
      <input
        type="number"
        min={1}
        step={1}
        aria-label="Window in days (empty for ever)"
        placeholder="ever"
        data-testid="rule-event-days"
        className={clsx(box, 'w-20')}
        value={asText(v.days)}
        disabled={disabled}
        onChange={(e) => set({ days: e.target.value.trim() === '' ? null : toStored(e.target.value) })}
      />
      <span>days</span>
    </>
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
