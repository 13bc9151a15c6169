import { Alert, Badge } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, get } from '../../app/api.ts';
import { useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';

/** Loads one resource and runs changes against it (errors kept per field, reloaded after each change). */
export function useResource<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = useCallback(async () => {
    if (!path) return;
    try {
      setData(await get<T>(path));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0 }));
    }
  }, [path]);
  useEffect(() => {
    setData(null);
    void reload();
  }, [reload]);
  const run = async <R = unknown,>(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<R | null> => {
    setBusy(true);
    setError(null);
    try {
      const out = await api<R>(method, url, body, headers);
      await reload();
      return out ?? ({} as R);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0 }));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { data, error, busy, run, reload, setError, fieldErrors: error?.fieldErrors() ?? {} };
}

export function ProblemAlert(props: { error: ApiError | null }) {
  const t = useT();
  const e = props.error;
  if (!e) return null;
  const fields = e.problem.errors ? Object.entries(e.fieldErrors()) : [];
  return (
    <Alert color="red" role="alert" data-testid="improvement-error">
      {fields.length
        ? fields.map(([k, v]) => `${t(`improvement.field.${k}`, { defaultValue: k })}: ${v}`).join('; ')
        : problemText(t, e)}
    </Alert>
  );
}

/** Colours with white text at WCAG AA contrast. */
const statusColors: Record<string, string> = {
  open: '#1864ab',
  in_progress: '#5f3dc4',
  done: '#087f5b',
  verified_effective: '#237032',
  ineffective: '#c92a2a',
  cancelled: '#495057',
  investigating: '#862e9c',
  closed: '#495057',
};

export function StatusBadge(props: { status: string }) {
  const t = useT();
  return (
    <Badge color={statusColors[props.status] ?? '#495057'} autoContrast data-status={props.status}>
      {t(`improvement.status.${props.status}`)}
    </Badge>
  );
}

export const canEditImprovement = (role: string) => ['manager', 'quality', 'admin'].includes(role);
export const canConfigure = (role: string) => ['quality', 'admin'].includes(role);
