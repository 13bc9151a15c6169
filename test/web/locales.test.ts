import { readdirSync, readFileSync, statSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';

/** The workspace's messages (I18N-1, I18N-3): every language has every key, and every message is valid ICU. */
const languages = ['en', 'ar', 'fa', 'zh', 'pl', 'nl'] as const;
const root = new URL('../../src/web/i18n/locales/', import.meta.url);
// The main bundle, and each feature's own bundle (locales/<feature>/<lang>.json).
const bundles = [
  '',
  ...readdirSync(root)
    .filter((f) => statSync(new URL(f, root)).isDirectory())
    .map((f) => `${f}/`),
];
function flat(o: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'object' && v !== null)
      Object.assign(out, flat(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = String(v);
  }
  return out;
}

for (const bundle of bundles) {
  const load = (l: string) =>
    JSON.parse(readFileSync(new URL(`${bundle}${l}.json`, root), 'utf8')) as Record<string, unknown>;
  const en = flat(load('en'));

  describe(`workspace messages${bundle ? ` (${bundle.slice(0, -1)})` : ''}`, () => {
    for (const lang of languages) {
      it(`${lang}: the same keys as English, each a valid ICU message with the same placeholders`, () => {
        const messages = flat(load(lang));
        expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
        for (const [key, text] of Object.entries(messages)) {
          const format = () =>
            new IntlMessageFormat(text, lang).format({
              count: 2,
              name: 'N',
              reference: 'R',
              list: 'L',
              when: 'W',
              state: 'S',
              owner: 'O',
              team: 'T',
              priority: 'P',
              reason: 'X',
              language: 'L',
              dir: 'D',
              n: 1,
              title: 'T',
              key: 'K',
            });
          expect(format, `${lang}:${key}`).not.toThrow();
          const vars = (s: string) => [...new Set([...s.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]))].sort();
          const quoted = (s: string) => s.replace(/'\{[^']*\}'/g, '');
          expect(vars(quoted(text)), `${lang}:${key}`).toEqual(vars(quoted(en[key]!)));
        }
        if (lang !== 'en') {
          const same = Object.keys(en).filter(
            (k) =>
              messages[k] === en[k] &&
              /[a-z]{4,}/.test(en[k]!) &&
              !/^(intake\.shortcut|enum\.channel\.api)$/.test(k),
          );
          expect(same.length, `${lang}: untranslated ${same.slice(0, 10).join(', ')}`).toBeLessThan(15);
        }
      });
    }
  });
}
