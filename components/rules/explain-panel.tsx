'use client';

import clsx from 'clsx';
import { useState } from 'react';
import type { ExplanationNode } from '@/lib/rules/explain';
import type { ProfileExplanation } from '@/lib/segments/explain';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { inputClass } from '../ui/form';

/**
 * "Why is this customer (not) a member?": for a customer id or email, each condition of the rules
 * (saved or still being edited) with whether it holds and the value it looked at.
 */
export function ExplainPanel({ rules, segmentId }: { rules: unknown; segmentId?: number }) {
  const [reference, setReference] = useState('');
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'done'; result: ProfileExplanation }>({ kind: 'idle' });

  async function explain() {
    if (reference.trim() === '') return;
    setState({ kind: 'loading' });
    try {
      const response = await fetch('/api/rules/explain', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rules, profile: reference, ...(segmentId ? { segmentId } : {}) }),
      });
      const body = (await response.json().catch(() => ({}))) as ProfileExplanation & { error?: string };
      if (!response.ok) setState({ kind: 'error', message: body.error ?? `The explanation failed (HTTP ${response.status}).` });
      else setState({ kind: 'done', result: body });
    } catch {
      setState({ kind: 'error', message: 'The explanation failed; check the connection and try again.' });
    }
  }

  return (
    <div className="space-y-3" data-testid="explain-panel">
      {/* Not a <form>: the panel also sits inside the segment form, and forms do not nest. */}
      <div role="search" className="flex flex-wrap items-center gap-2">
        <label htmlFor="explain-profile" className="text-sm text-slate-700">
          Why is a customer in or out?
        </label>
        <input
          id="explain-profile"
          className={clsx(inputClass, 'w-64')}
          placeholder="Customer id or email"
          value={reference}
          maxLength={320}
          onChange={(e) => setReference(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault(); // explain, do not submit a surrounding form
            void explain();
          }}
          data-testid="explain-input"
        />
        <Button variant="secondary" onClick={() => void explain()} disabled={reference.trim() === '' || state.kind === 'loading'} data-testid="explain-submit">
          {state.kind === 'loading' ? 'Checking…' : 'Explain'}
        </Button>
      </div>
      {state.kind === 'error' && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      )}
      {state.kind === 'done' && <Explanation result={state.result} />}
    </div>
  );
}

function Explanation({ result }: { result: ProfileExplanation }) {
  const who = result.profile.email ? `${result.profile.externalId} (${result.profile.email})` : result.profile.externalId;
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200" data-testid="explain-result">
      <p className="text-sm text-slate-800">
        The rules <strong>{result.matches ? 'match' : 'do not match'}</strong> customer {who}.
        {result.segment && <> {membershipNote(result.matches, result.segment)}</>}
      </p>
      <Node node={result.tree} top />
    </div>
  );
}

function membershipNote(matches: boolean, segment: NonNullable<ProfileExplanation['segment']>): string {
  if (segment.pin) return `It is pinned ${segment.pin === 'IN' ? 'in' : 'out'}, so it is ${segment.member ? 'a member' : 'not a member'} whatever the rules say.`;
  if (segment.member === matches) return segment.member ? 'It is a member.' : 'It is not a member.';
  return segment.member ? 'It is still a member until the next evaluation.' : 'It becomes a member at the next evaluation.';
}

function Verdict({ holds }: { holds: boolean }) {
  return <Badge tone={holds ? 'green' : 'red'}>{holds ? 'holds' : 'fails'}</Badge>;
}

function Node({ node, top = false }: { node: ExplanationNode; top?: boolean }) {
  if (node.type === 'condition') {
    return (
      <li className="flex flex-wrap items-center gap-2 text-sm" data-testid="explain-condition" data-holds={node.holds}>
        <Verdict holds={node.holds} />
        <span className="text-slate-800">{node.text}</span>
        <span className="text-xs text-slate-500">({node.observed === null ? 'no value' : `value: ${node.observed}`})</span>
      </li>
    );
  }
  const list = (
    <ul className="space-y-1">
      {node.rules.map((r, i) => (
        <Node key={i} node={r} />
      ))}
    </ul>
  );
  if (top && !node.not) return list;
  const group = (
    <li className="space-y-1 border-l-2 border-slate-200 pl-3 text-sm">
      <div className="flex items-center gap-2 text-xs font-medium uppercase tracking-wide text-slate-500">
        <Verdict holds={node.holds} />
        {node.not ? 'not ' : ''}
        {node.combinator === 'and' ? 'all of' : 'any of'}
      </div>
      {list}
    </li>
  );
  return top ? <ul>{group}</ul> : group;
}
