import { Alert, Button, Checkbox, Group, Loader, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, post } from '../../app/api.ts';
import type { Complaint } from '../../app/types.ts';
import { useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';
import { actionPath, actionSchema, type SchemaNode } from './schema.ts';
import { widgetFor } from './widgets.tsx';
import i18next from 'i18next';

export type FormValue = Record<string, unknown>;

export interface FieldProps {
  name: string;
  schema: SchemaNode;
  required: boolean;
  label: string;
  error: string | undefined;
  errors: Record<string, string>;
  value: unknown;
  onChange: (v: unknown) => void;
  set: (name: string, v: unknown) => void;
  /** Sets several fields at once (a file's name and content). */
  patch: (values: FormValue) => void;
  form: FormValue;
  complaint: Complaint;
  action: string;
}

/** Empty strings and untouched fields are left out; the server's schema decides the rest. */
function bodyOf(value: FormValue): FormValue {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== ''));
}

/**
 * A form for one lifecycle action, built from the action's input schema in the OpenAPI document: each property
 * becomes a field (a widget chosen by its name or type), required ones marked. Errors come back per field from the
 * problem document and are shown beside each field; the typed values are kept (they live in the caller's state).
 */
export function ActionForm(props: {
  action: string;
  complaint: Complaint;
  value: FormValue;
  onChange: (v: FormValue) => void;
  onCancel: () => void;
  onDone: () => void;
  /** Extra content (e.g. the response composer's preview) after the fields. */
  children?: ReactNode;
}) {
  const t = useT();
  const [schema, setSchema] = useState<SchemaNode | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    actionSchema(props.action).then(setSchema, (e: unknown) => setError(e instanceof ApiError ? e : new ApiError({ status: 0 })));
  }, [props.action]);

  const set = (name: string, v: unknown) => props.onChange({ ...props.value, [name]: v });
  const errors = error?.fieldErrors() ?? {};

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local = localProblems(props.action, props.value, t);
    if (local) {
      setError(local);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await post(actionPath(props.complaint.reference, props.action), bodyOf(props.value), { 'if-match': `"${props.complaint.version}"` });
      props.onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ status: 0 }));
    } finally {
      setBusy(false);
    }
  };

  if (!schema) return error ? <Alert color="red">{problemText(t, error)}</Alert> : <Loader size="sm" aria-label={t('common.loading')} />;
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {});
  const unplaced = Object.keys(errors).filter((k) => !fields.some(([n]) => k === n || k.startsWith(`${n}.`)));

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid={`form-${props.action}`}>
      <Stack gap="sm">
        {error && (
          <Alert color="red" role="alert" data-testid="form-error" title={error.problem.errors ? undefined : t('form.refused')}>
            {error.problem.errors ? t('form.fixFields') : problemText(t, error)}
            {unplaced.length > 0 && <div>{unplaced.map((k) => `${k}: ${errors[k]}`).join('; ')}</div>}
          </Alert>
        )}
        {fields.map(([name, node]) => {
          const label = i18next.exists(`input.${props.action}.${name}`) ? t(`input.${props.action}.${name}`) : t(`input.${name}`, { defaultValue: name });
          const fp: FieldProps = {
            name,
            schema: node,
            required: required.has(name),
            label,
            error: errors[name],
            errors,
            value: props.value[name],
            onChange: (v) => set(name, v),
            set,
            patch: (values) => props.onChange({ ...props.value, ...values }),
            form: props.value,
            complaint: props.complaint,
            action: props.action,
          };
          return <div key={name}>{widgetFor(fp) ?? <GenericField {...fp} />}</div>;
        })}
        {props.children}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={props.onCancel}>
            {t('form.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="submit-action">
            {t(`action.${props.action}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** A field from its JSON Schema type: select for enums, checkbox for booleans, date-time, number, text. */
export function GenericField(p: FieldProps) {
  const t = useT();
  const s = p.schema.anyOf?.find((x) => x.type !== 'null') ?? p.schema;
  const common = { label: p.label, required: p.required, error: p.error, name: p.name, description: hint(t, p) };
  if (s.enum) {
    return (
      <NativeSelect
        {...common}
        value={typeof p.value === 'string' ? p.value : ''}
        onChange={(e) => p.onChange(e.currentTarget.value || undefined)}
        data={[{ value: '', label: p.required ? t('form.choose') : t('form.none') }, ...s.enum.map((v) => ({ value: v, label: t(`enum.${p.name}.${v}`, { defaultValue: v.replaceAll('_', ' ') }) }))]}
      />
    );
  }
  if (s.type === 'boolean') {
    const checked = typeof p.value === 'boolean' ? p.value : s.default === true;
    return <Checkbox label={p.label} checked={checked} onChange={(e) => p.onChange(e.currentTarget.checked)} name={p.name} error={p.error} description={common.description} />;
  }
  if (s.type === 'number' || s.type === 'integer') {
    return <TextInput {...common} type="number" inputMode="decimal" value={typeof p.value === 'number' ? String(p.value) : ''} onChange={(e) => p.onChange(e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))} />;
  }
  if (s.format === 'date-time') {
    const v = typeof p.value === 'string' ? toLocalInput(p.value) : '';
    return <TextInput {...common} type="datetime-local" value={v} onChange={(e) => p.onChange(e.currentTarget.value ? new Date(e.currentTarget.value).toISOString() : undefined)} />;
  }
  if (s.type === 'array') {
    const v = Array.isArray(p.value) ? (p.value as string[]).join(', ') : '';
    return <TextInput {...common} value={v} onChange={(e) => p.onChange(e.currentTarget.value.split(',').map((x) => x.trim()).filter(Boolean))} />;
  }
  const long = (s.maxLength ?? 0) >= 2000;
  const str = typeof p.value === 'string' ? p.value : '';
  return long ? (
    <Textarea {...common} autosize minRows={3} maxRows={14} value={str} onChange={(e) => p.onChange(e.currentTarget.value)} dir="auto" />
  ) : (
    <TextInput {...common} value={str} onChange={(e) => p.onChange(e.currentTarget.value)} dir="auto" />
  );
}

/**
 * What the API does not check but a decision letter needs (LIFE-6): a remedy when the complaint is upheld in whole
 * or in part. Reported like the server's own field errors.
 */
function localProblems(action: string, v: FormValue, t: (k: string) => string): ApiError | null {
  if (action !== 'draft_response') return null;
  const remedies = Array.isArray(v.remedies) ? (v.remedies as Array<{ key?: string }>) : [];
  if ((v.outcome === 'upheld' || v.outcome === 'partly_upheld') && !remedies.some((r) => r.key)) {
    return new ApiError({ status: 400, code: 'validation_failed', errors: [{ field: 'remedies', code: 'required', message: t('composer.part.remedy') }] });
  }
  return null;
}

function hint(t: (k: string, v?: Record<string, unknown>) => string, p: FieldProps): string | undefined {
  const key = `hint.${p.action}.${p.name}`;
  return i18next.exists(key) ? t(key) : undefined;
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
