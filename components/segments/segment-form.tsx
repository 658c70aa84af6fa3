'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { createSegmentAction, updateSegmentAction } from '@/app/(app)/segments/actions';
import { LiveCount } from '@/components/rules/live-count';
import { ExplainPanel } from '@/components/rules/explain-panel';
import { RuleBuilder, type RuleGroupType } from '@/components/rules/rule-builder';
import { Button, ButtonLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorMessage, Field, Input, Textarea } from '@/components/ui/form';
import { useActionErrors } from '@/components/ui/use-action-errors';
import type { TraitDefinition } from '@/lib/rules/fields';

export interface SegmentFormValues {
  id?: number;
  name: string;
  description: string;
  rules: RuleGroupType;
}

/** Create or edit a segment: name, description and rules, with the live count next to the builder; `traits` are the registered custom traits the builder offers. */
export function SegmentForm({ initial, traits }: { initial: SegmentFormValues; traits: TraitDefinition[] }) {
  const router = useRouter();
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [rules, setRules] = useState<RuleGroupType>(initial.rules);
  const { error, fieldErrors, accept } = useActionErrors();
  const [saving, startSaving] = useTransition();

  function save(event: React.FormEvent) {
    event.preventDefault();
    startSaving(async () => {
      const input = { name, description, rules };
      const result = initial.id ? await updateSegmentAction({ ...input, id: initial.id }) : await createSegmentAction(input);
      if (!accept(result)) return;
      router.push(`/segments/${result.data.id}`);
      router.refresh();
    });
  }

  const cancelHref = initial.id ? `/segments/${initial.id}` : '/segments';
  return (
    <form onSubmit={save} className="space-y-6" noValidate>
      <Card>
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Name" htmlFor="segment-name" error={fieldErrors.name?.join(' ')}>
            <Input id="segment-name" data-testid="segment-name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} disabled={saving} required />
          </Field>
          <Field label="Description" htmlFor="segment-description" hint="Optional: what the segment is for." error={fieldErrors.description?.join(' ')}>
            <Textarea id="segment-description" data-testid="segment-description" rows={1} value={description} onChange={(e) => setDescription(e.target.value)} disabled={saving} />
          </Field>
        </div>
      </Card>
      <Card title="Profiles in this segment match" actions={<LiveCount rules={rules} />}>
        <RuleBuilder value={rules} onChange={setRules} disabled={saving} traits={traits} />
        <div className="mt-4 border-t border-slate-100 pt-4">
          <ExplainPanel rules={rules} />
        </div>
      </Card>
      <ErrorMessage>{error && <span data-testid="form-error">{error}</span>}</ErrorMessage>
      <div className="flex items-center gap-2">
        <Button type="submit" data-testid="save-segment" disabled={saving}>
          {saving ? 'Saving…' : initial.id ? 'Save changes' : 'Create segment'}
        </Button>
        <ButtonLink href={cancelHref} variant="ghost">
          Cancel
        </ButtonLink>
        <span className="text-xs text-slate-500">Saving re-evaluates the segment at once.</span>
      </div>
    </form>
  );
}
