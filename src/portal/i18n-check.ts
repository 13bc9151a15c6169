import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import { languages } from '../shared/vocabulary.ts';

/**
 * The message check behind `npm run i18n:check` (I18N-3): every language has exactly the keys of the English file
 * (none missing, none extra), every message is valid ICU MessageFormat with the same placeholders as English, every
 * key is used by the portal's code and every key the code uses exists.
 */
export interface CheckResult {
  problems: string[];
  keys: number;
  languages: number;
}

type Node = { type: number; value?: unknown; options?: unknown; children?: unknown };

function placeholders(nodes: readonly Node[], into = new Set<string>()): Set<string> {
  for (const n of nodes) {
    // 0 literal, 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural, 7 pound, 8 tag
    if (n.type >= 1 && n.type <= 6 && typeof n.value === 'string') into.add(n.value);
    for (const option of Object.values((n.options ?? {}) as Record<string, { value: Node[] }>)) placeholders(option.value, into);
    if (Array.isArray(n.children)) placeholders(n.children as Node[], into);
  }
  return into;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

export function checkMessages(
  options: { localesDir?: string; sourceDir?: string; languages?: readonly string[] } = {},
): CheckResult {
  const localesDir = options.localesDir ?? fileURLToPath(new URL('./locales/', import.meta.url));
  const sourceDir = options.sourceDir ?? fileURLToPath(new URL('./', import.meta.url));
  const langs = options.languages ?? languages;
  const problems: string[] = [];
  const load = (lang: string): Record<string, string> | null => {
    try {
      return JSON.parse(readFileSync(join(localesDir, `${lang}.json`), 'utf8')) as Record<string, string>;
    } catch (error) {
      problems.push(`${lang}: cannot read ${lang}.json (${(error as Error).message})`);
      return null;
    }
  };
  const en = load('en') ?? {};
  const enKeys = Object.keys(en);
  const enPlaceholders = new Map<string, Set<string>>();
  for (const lang of langs) {
    const messages = lang === 'en' ? en : load(lang);
    if (!messages) continue;
    for (const key of enKeys) if (!(key in messages)) problems.push(`${lang}: missing key "${key}"`);
    for (const key of Object.keys(messages)) if (!(key in en)) problems.push(`${lang}: unknown key "${key}" (not in en.json)`);
    for (const [key, text] of Object.entries(messages)) {
      if (typeof text !== 'string' || text.trim() === '') {
        problems.push(`${lang}: empty message "${key}"`);
        continue;
      }
      let found: Set<string>;
      try {
        found = placeholders(new IntlMessageFormat(text, lang).getAst());
      } catch (error) {
        problems.push(`${lang}: "${key}" is not valid ICU MessageFormat (${(error as Error).message})`);
        continue;
      }
      if (lang === 'en') enPlaceholders.set(key, found);
      const expected = enPlaceholders.get(key);
      if (expected && [...expected].sort().join() !== [...found].sort().join()) {
        problems.push(`${lang}: "${key}" has placeholders {${[...found].join(', ')}} but English has {${[...expected].join(', ')}}`);
      }
    }
  }
  const present = readdirSync(localesDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  for (const lang of present) if (!langs.includes(lang)) problems.push(`${lang}: ${lang}.json is not a supported language`);

  // Keys are written out in full in the code (never built from parts), so a quoted literal is a use.
  const literals = new Set<string>();
  for (const file of sourceFiles(sourceDir)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/['"`]([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)['"`]/g)) literals.add(m[1]!);
  }
  const namespaces = new Set(enKeys.map((k) => k.split('.')[0]));
  for (const key of enKeys) if (!literals.has(key)) problems.push(`en: unused key "${key}"`);
  for (const literal of literals) {
    if (namespaces.has(literal.split('.')[0]) && !(literal in en)) problems.push(`code uses "${literal}", which is in no message file`);
  }
  return { problems, keys: enKeys.length, languages: langs.length };
}
