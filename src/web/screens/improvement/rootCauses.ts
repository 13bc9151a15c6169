import { useEffect, useState } from 'react';
import { get } from '../../app/api.ts';
import { useLanguage } from '../../i18n/i18n.tsx';

export interface RootCause {
  key: string;
  parent: string | null;
  name: string;
  label: string;
  names: Record<string, string>;
  active: boolean;
}

const cache = new Map<string, Promise<RootCause[]>>();

/** Forgets the taxonomy (after it was changed). */
export function resetRootCauses() {
  cache.clear();
}

/** The root-cause taxonomy in the user's language, parents before children; loaded once per language. */
export function useRootCauses(): RootCause[] | null {
  const { lang } = useLanguage();
  const [items, setItems] = useState<RootCause[] | null>(null);
  useEffect(() => {
    let live = true;
    let p = cache.get(lang);
    if (!p) {
      p = get<{ items: RootCause[] }>(`/api/improvement/root-causes?lang=${lang}`).then((r) => r.items);
      p.catch(() => cache.delete(lang));
      cache.set(lang, p);
    }
    p.then(
      (x) => live && setItems(x),
      () => undefined,
    );
    return () => void (live = false);
  }, [lang]);
  return items;
}

/** Options for a select: active causes, children indented under their family. */
export function rootCauseOptions(
  items: RootCause[] | null,
  keep?: string | null,
): Array<{ value: string; label: string }> {
  return (items ?? [])
    .filter((x) => x.active || x.key === keep)
    .map((x) => ({ value: x.key, label: `${x.parent ? '\u2003' : ''}${x.label}` }));
}
