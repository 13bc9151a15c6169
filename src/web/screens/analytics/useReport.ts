import { useEffect, useState } from 'react';
import { ApiError, get } from '../../app/api.ts';

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
}

/** GETs a report whenever its address changes (null: nothing to load); an answer to an older address is dropped. */
export function useReport<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: path !== null });
  useEffect(() => {
    if (path === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ data: s.data, error: null, loading: true }));
    get<T>(path).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (e: unknown) =>
        live &&
        setState({
          data: null,
          error: e instanceof ApiError ? e : new ApiError({ status: 0 }),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return state;
}
