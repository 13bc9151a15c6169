import { useEffect, useState } from 'react';
import { get } from './api.ts';
import type { Catalogue, StaffUser } from './types.ts';

/** Reads that rarely change (catalogue, staff directory): fetched once per page load, shared by every screen. */
function cached<T>(path: string) {
  let value: Promise<T> | null = null;
  const load = () => {
    value ??= get<T>(path);
    value.catch(() => (value = null));
    return value;
  };
  return {
    load,
    reset: () => void (value = null),
    use(): T | null {
      const [v, setV] = useState<T | null>(null);
      useEffect(() => {
        let live = true;
        load().then(
          (x) => live && setV(x),
          () => undefined,
        );
        return () => void (live = false);
      }, []);
      return v;
    },
  };
}

export const catalogueStore = cached<Catalogue>('/api/catalogue');
export const staffStore = cached<{ items: StaffUser[] }>('/api/workspace/staff');

export const useCatalogue = () => catalogueStore.use();
export function useStaff(): StaffUser[] {
  return staffStore.use()?.items ?? [];
}

/** Categories as an indented list for a select (the tree, parents first). */
export function categoryOptions(c: Catalogue | null): Array<{ value: string; label: string }> {
  if (!c) return [];
  const out: Array<{ value: string; label: string }> = [];
  const walk = (parent: string | null, depth: number) => {
    for (const cat of c.categories.filter((x) => x.parent === parent).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push({ value: cat.key, label: `${'\u2003'.repeat(depth)}${cat.name}` });
      walk(cat.key, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
