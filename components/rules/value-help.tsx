'use client';

import { useId, type ReactNode } from 'react';
import { formatCount } from '@/components/format';
import type { FieldDef } from '@/lib/rules/fields';
import { useFieldValues } from './use-field-values';
import { firstUnknownItem, listOptions, replaceItem, suggestValues } from './value-suggestions';

/**
 * Known values for a text input: a datalist to pick from (with how many profiles have each) and,
 * when what was typed is no profile's value, "Did you mean …?" buttons. `mode` 'list' works on the
 * comma-separated text of "is one of". Fields without suggestions get nothing.
 */
export function useValueHelp(field: FieldDef, text: string, mode: 'one' | 'list', onPick: (text: string) => void): { listId?: string; help: ReactNode } {
  const listId = useId();
  const { data: values } = useFieldValues(field);
  if (!field.suggestions || !values) return { help: null };

  const options = mode === 'list' ? listOptions(text, values) : values;
  const unknown = mode === 'list' ? firstUnknownItem(text, values) : { index: 0, item: text };
  const guesses = unknown ? suggestValues(unknown.item, values, field.suggestions) : [];
  const pick = (value: string) => onPick(mode === 'list' && unknown ? replaceItem(text, unknown.index, value) : value);

  const help = (
    <>
      <datalist id={listId} data-testid="rule-value-options">
        {options.map((o) => (
          <option key={o.value} value={o.value} label={formatCount(o.count, 'profile')} />
        ))}
      </datalist>
      {guesses.length > 0 && (
        <span className="text-xs text-amber-800" role="status" data-testid="rule-value-guess">
          {mode === 'list' ? `No profile has “${unknown!.item}”. ` : 'No profile has this value. '}
          Did you mean{' '}
          {guesses.map((g, i) => (
            <span key={g}>
              {i > 0 && (i === guesses.length - 1 ? ' or ' : ', ')}
              <button type="button" className="font-medium text-brand-700 underline hover:text-brand-800" onClick={() => pick(g)}>
                {g}
              </button>
            </span>
          ))}
          ?
        </span>
      )}
    </>
  );
  return { listId, help };
}
