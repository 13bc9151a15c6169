import { ActionIcon, Alert, Button, Checkbox, FileInput, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { get } from '../../app/api.ts';
import { categoryOptions, useCatalogue, useStaff } from '../../app/data.ts';
import { useSession } from '../../app/session.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { FieldProps } from './ActionForm.tsx';
import { ResponseMessageField } from './Composer.tsx';
import { rootCauseOptions, useRootCauses } from '../improvement/rootCauses.ts';

/** Fields that need more than their JSON type: pickers over the catalogue, staff, tasks; files; remedies. */
export function widgetFor(p: FieldProps): ReactNode | null {
  switch (p.name) {
    case 'ownerId':
      return <OwnerPicker {...p} />;
    case 'attestNoConflict':
      return <AttestField {...p} />;
    case 'team':
      return <CatalogueSelect {...p} kind="teams" />;
    case 'category':
      return <CatalogueSelect {...p} kind="categories" />;
    case 'product':
      return <CatalogueSelect {...p} kind="products" />;
    case 'taskId':
      return <TaskPicker {...p} />;
    case 'contentBase64':
      return <FileField {...p} />;
    case 'remedies':
      return <RemediesEditor {...p} />;
    case 'rootCause':
      return <RootCausePicker {...p} />;
    case 'message':
      return p.action === 'draft_response' ? <ResponseMessageField {...p} /> : null;
    default:
      return null;
  }
}

function CatalogueSelect(p: FieldProps & { kind: 'teams' | 'categories' | 'products' }) {
  const t = useT();
  const c = useCatalogue();
  const options = p.kind === 'categories' ? categoryOptions(c) : (c?.[p.kind] ?? []).map((x) => ({ value: x.key, label: x.name }));
  return (
    <NativeSelect
      label={p.label}
      required={p.required}
      error={p.error}
      name={p.name}
      value={typeof p.value === 'string' ? p.value : ''}
      onChange={(e) => p.onChange(e.currentTarget.value || undefined)}
      data={[{ value: '', label: p.required ? t('form.choose') : t('form.unchanged') }, ...options]}
    />
  );
}

interface Candidate {
  id: string;
  name: string;
  role: string;
  eligible: boolean;
  reasons: string[];
  load: number;
  score: number;
  teams: string[];
}

/**
 * The owner: for an assignment, the candidates ranked by rule (team of the category, language, load, training
 * and authorisations) with the reason each ineligible one is refused (conflict of interest, no authorisation).
 */
function OwnerPicker(p: FieldProps) {
  const t = useT();
  const staff = useStaff();
  const { me } = useSession();
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  useEffect(() => {
    if (p.action !== 'assign') return;
    get<{ items: Candidate[] }>(`/api/complaints/${encodeURIComponent(p.complaint.reference)}/assignment-candidates`).then(
      (r) => setCandidates(r.items),
      () => setCandidates(null),
    );
  }, [p.action, p.complaint.reference]);
  const base = candidates ?? staff.filter((s) => s.active && ['handler', 'manager'].includes(s.role)).map((s) => ({ id: s.id, name: s.name, role: s.role, eligible: true, reasons: [], load: 0, score: 0, teams: s.teams }));
  // A handler may only take a case for themselves.
  const list = me.role === 'handler' && p.action === 'assign' ? base.filter((c) => c.id === me.id) : base;
  const chosen = list.find((c) => c.id === p.value);
  return (
    <Stack gap={4}>
      <NativeSelect
        label={p.label}
        required={p.required}
        error={p.error}
        name={p.name}
        data-testid="owner-picker"
        data-candidates={p.action !== 'assign' || candidates ? 'ready' : 'loading'}
        value={typeof p.value === 'string' ? p.value : ''}
        onChange={(e) => p.onChange(e.currentTarget.value || undefined)}
        data={[
          { value: '', label: t('form.unchanged') },
          ...list.map((c) => ({
            value: c.id,
            label: `${c.id === me.id ? t('assign.me', { name: c.name }) : c.name} · ${t(`role.${c.role}`)}${candidates ? ` · ${t('assign.load', { count: c.load })}` : ''}${c.eligible ? '' : ` · ${t('assign.blocked')}`}`,
          })),
        ]}
      />
      {chosen && !chosen.eligible && (
        <Alert color="red" role="alert" data-testid="candidate-blocked" title={t('assign.blockedTitle')}>
          {chosen.reasons.map((r) => (
            <div key={r}>{t(`assign.reason.${r}`, { defaultValue: r })}</div>
          ))}
        </Alert>
      )}
      {candidates && candidates[0]?.eligible && me.role !== 'handler' && !p.value && (
        <Button variant="subtle" size="xs" onClick={() => p.onChange(candidates[0]!.id)} data-testid="suggested-owner">
          {t('assign.suggest', { name: candidates[0].name })}
        </Button>
      )}
    </Stack>
  );
}

function AttestField(p: FieldProps) {
  const t = useT();
  return (
    <Checkbox
      label={t('assign.attest')}
      description={t('assign.attestHint')}
      checked={p.value === true}
      onChange={(e) => p.onChange(e.currentTarget.checked)}
      error={p.error}
      name={p.name}
      data-testid="attest"
    />
  );
}

function TaskPicker(p: FieldProps) {
  const t = useT();
  const open = (p.complaint.tasks ?? []).filter((x) => x.status !== 'done');
  return (
    <NativeSelect
      label={p.label}
      required={p.required}
      error={p.error}
      name={p.name}
      value={typeof p.value === 'string' ? p.value : ''}
      onChange={(e) => p.onChange(e.currentTarget.value || undefined)}
      data={[{ value: '', label: t('form.choose') }, ...open.map((x) => ({ value: x.id, label: x.title }))]}
    />
  );
}

function FileField(p: FieldProps) {
  const t = useT();
  const [name, setName] = useState<File | null>(null);
  return (
    <FileInput
      label={p.label}
      required={p.required}
      error={p.error ?? p.errors.filename}
      value={name}
      clearable
      placeholder={t('form.chooseFile')}
      onChange={(file) => {
        setName(file);
        if (!file) {
          p.onChange(undefined);
          return;
        }
        const reader = new FileReader();
        reader.onload = () => {
          const data = typeof reader.result === 'string' ? reader.result : '';
          p.patch({ filename: file.name, contentBase64: data.slice(data.indexOf(',') + 1) });
        };
        reader.readAsDataURL(file);
      }}
    />
  );
}

interface RemedyValue {
  key: string;
  amount?: number;
  note?: string;
}

/** Remedies from the configured catalogue, with an amount for the monetary ones. */
export function RemediesEditor(p: FieldProps) {
  const t = useT();
  const c = useCatalogue();
  const items = (Array.isArray(p.value) ? p.value : []) as RemedyValue[];
  const update = (i: number, patch: Partial<RemedyValue>) => p.onChange(items.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap={6} role="group" aria-label={p.label}>
      <Text size="sm" fw={500}>
        {p.label}
      </Text>
      {items.map((r, i) => {
        const monetary = c?.remedies.find((x) => x.key === r.key)?.monetary ?? false;
        return (
          <Group key={i} gap="xs" align="end" wrap="nowrap">
            <NativeSelect
              label={t('remedy.kind', { n: i + 1 })}
              value={r.key}
              error={p.errors[`remedies.${i}.key`]}
              onChange={(e) => update(i, { key: e.currentTarget.value })}
              data={[{ value: '', label: t('form.choose') }, ...(c?.remedies ?? []).map((x) => ({ value: x.key, label: x.name }))]}
            />
            {monetary && (
              <TextInput
                label={t('remedy.amount')}
                type="number"
                min={0}
                w={140}
                value={r.amount === undefined ? '' : String(r.amount)}
                error={p.errors[`remedies.${i}.amount`]}
                onChange={(e) => update(i, { amount: e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value) })}
              />
            )}
            <TextInput label={t('remedy.note')} value={r.note ?? ''} onChange={(e) => update(i, { note: e.currentTarget.value || undefined })} style={{ flex: 1 }} />
            <ActionIcon variant="subtle" color="red.9" size="lg" aria-label={t('remedy.remove', { n: i + 1 })} onClick={() => p.onChange(items.filter((_, j) => j !== i))}>
              ×
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button variant="light" size="xs" onClick={() => p.onChange([...items, { key: '' }])} data-testid="add-remedy">
          {t('remedy.add')}
        </Button>
      </Group>
      {p.error && (
        <Text size="sm" c="red.9">
          {p.error}
        </Text>
      )}
    </Stack>
  );
}

/**
 * The root cause (IMP-3) from the configured taxonomy, prefilled with the one already recorded on the complaint;
 * marked required when the response upheld the complaint in whole or in part (the server enforces it).
 */
function RootCausePicker(p: FieldProps) {
  const t = useT();
  const items = useRootCauses();
  const recorded = (p.complaint as { rootCause?: string | null }).rootCause ?? null;
  const outcome = p.complaint.response?.outcome;
  const required = p.required || outcome === 'upheld' || outcome === 'partly_upheld';
  const { value, onChange } = p;
  useEffect(() => {
    if (value === undefined && recorded) onChange(recorded);
    // Prefill once, when the form opens.
  }, []);
  return (
    <NativeSelect
      label={p.label}
      required={required}
      error={p.error}
      name={p.name}
      description={required ? t('hint.close.rootCause') : undefined}
      data-testid="root-cause-picker"
      value={typeof p.value === 'string' ? p.value : ''}
      onChange={(e) => p.onChange(e.currentTarget.value || undefined)}
      data={[{ value: '', label: required ? t('form.choose') : t('form.none') }, ...rootCauseOptions(items, recorded)]}
    />
  );
}
