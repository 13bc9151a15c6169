import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, get } from '../../app/api.ts';
import { catalogueStore, staffStore } from '../../app/data.ts';

/** Loads an admin list and runs changes against it: errors per field, the list reloaded after each change. */
export function useAdminList<T>(path: string) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = useCallback(async () => {
    try {
      setData(await get<T>(path));
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0 }));
    }
  }, [path]);
  useEffect(() => void reload(), [reload]);
  const run = async (method: string, url: string, body?: unknown): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await api(method, url, body);
      catalogueStore.reset();
      staffStore.reset();
      await reload();
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0 }));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { data, error, busy, run, reload, fieldErrors: error?.fieldErrors() ?? {} };
}
