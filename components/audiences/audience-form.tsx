'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { RuleGroupType } from 'react-querybuilder';
import { createAudienceAction, updateAudienceAction } from '@/app/(app)/audiences/actions';
import { LiveCount } from '@/components/rules/live-count';
import { RuleBuilder } from '@/components/rules/rule-builder';
import type { TraitDefinition } from '@/lib/rules/fields';
import { Button, ButtonLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorMessage, Field, Input, Textarea } from '@/components/ui/form';
import { ColumnChooser } from './column-chooser';
import { PreviewPanel } from './preview-panel';
import { useActionErrors } from '@/components/ui/use-action-errors';

export interface AudienceFormValues {
  id?: number;
  name: string;
  description: string;
  rules: RuleGroupType;
  columns: string[];
}

/** Create or edit an audience: name, rules (with a live count), export columns and a preview of the rows. */
export function AudienceForm({ initial, traits }: { initial: AudienceFormValues; traits: TraitDefinition[] }) {
  const router = useRouter();
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [rules, setRules] = useState<RuleGroupType>(initial.rules);
  const [columns, setColumns] = useState<string[]>(initial.columns);
  const { error, fieldErrors, accept } = useActionErrors();
  const [pending, startTransition] = useTransition();

  function save() {
    startTransition(async () => {
      const input = { name, description, rules, columns };
      const result = initial.id ? await updateAudienceAction({ ...input, id: initial.id }) : await createAudienceAction(input);
      if (!accept(result)) return;
      router.push(`/audiences/${result.data.id}`);
      router.refresh();
    });
  }

  return (
    <form
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <Card>
        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Name" htmlFor="audience-name" error={fieldErrors.name?.[0]}>
            <Input id="audience-name" data-testid="audience-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} required />
          </Field>
          <Field label="Description" htmlFor="audience-description" error={fieldErrors.description?.[0]} hint="What the list is for (campaign, destination).">
            <Textarea id="audience-description" data-testid="audience-description" rows={1} value={description} onChange={(e) => setDescription(e.target.value)} />
          </Field>
        </div>
      </Card>

      <Card title="Who is in it" actions={<LiveCount rules={rules} />}>
        <RuleBuilder value={rules} onChange={setRules} disabled={pending} traits={traits} />
      </Card>

      <Card title="Export columns">
        <ColumnChooser value={columns} onChange={setColumns} disabled={pending} />
      </Card>

      <PreviewPanel rules={rules} columns={columns} />

      <ErrorMessage>{error}</ErrorMessage>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending} data-testid="audience-save">
          {pending ? 'Saving…' : initial.id ? 'Save changes' : 'Create audience'}
        </Button>
        <ButtonLink variant="secondary" href={initial.id ? `/audiences/${initial.id}` : '/audiences'}>
          Cancel
        </ButtonLink>
      </div>
    </form>
  );
}
