/**
 * Demo complaint corpus: about 200 complaints, suggestions and compliments written natively
 * in English, Arabic, Persian, Chinese (simplified), Polish and Dutch, for seeding a fresh system.
 * Pure data and small pure helpers only (no I/O).
 */
import type { DemoComplaint, DemoLanguage } from './types.ts';
import { demoComplaintsAr } from './corpus-ar.ts';
import { demoComplaintsEn } from './corpus-en.ts';
import { demoComplaintsFa } from './corpus-fa.ts';
import { demoComplaintsNl } from './corpus-nl.ts';
import { demoComplaintsPl } from './corpus-pl.ts';
import { demoComplaintsZh } from './corpus-zh.ts';

export type { DemoChannel, DemoComplaint, DemoFeedbackType, DemoLanguage, DemoSeverity } from './types.ts';
export {
  demoComplaintsAr,
  demoComplaintsEn,
  demoComplaintsFa,
  demoComplaintsNl,
  demoComplaintsPl,
  demoComplaintsZh,
};

export const demoLanguages: readonly DemoLanguage[] = ['en', 'ar', 'fa', 'zh', 'pl', 'nl'];

/** Per-language lists, keyed by language code. */
export const demoComplaintsByLanguage: Readonly<Record<DemoLanguage, readonly DemoComplaint[]>> = {
  en: demoComplaintsEn,
  ar: demoComplaintsAr,
  fa: demoComplaintsFa,
  zh: demoComplaintsZh,
  pl: demoComplaintsPl,
  nl: demoComplaintsNl,
};

/** All demo entries, grouped by language (en, ar, fa, zh, pl, nl). */
export const demoComplaints: DemoComplaint[] = [
  ...demoComplaintsEn,
  ...demoComplaintsAr,
  ...demoComplaintsFa,
  ...demoComplaintsZh,
  ...demoComplaintsPl,
  ...demoComplaintsNl,
];

const DAY_MS = 24 * 60 * 60 * 1000;

/** When the event happened, relative to `now` (the seeding time). */
export function demoOccurredAt(entry: Pick<DemoComplaint, 'occurredDaysAgo'>, now: Date): Date {
  return new Date(now.getTime() - entry.occurredDaysAgo * DAY_MS);
}

/**
 * The entries interleaved round-robin across languages (en, ar, fa, zh, pl, nl, en, …),
 * so that a seeder inserting in order produces a realistic mix rather than language blocks.
 */
export function demoComplaintsInterleaved(): DemoComplaint[] {
  const lists = demoLanguages.map((l) => demoComplaintsByLanguage[l]);
  const longest = Math.max(...lists.map((l) => l.length));
  const out: DemoComplaint[] = [];
  for (let i = 0; i < longest; i++) {
    for (const list of lists) {
      const entry = list[i];
      if (entry !== undefined) out.push(entry);
    }
  }
  return out;
}

/** Count entries by a key (e.g. language, type, channel) — handy for dashboards and tests. */
export function countDemoComplaintsBy<K extends keyof DemoComplaint>(
  key: K,
  entries: readonly DemoComplaint[] = demoComplaints,
): Map<DemoComplaint[K], number> {
  const counts = new Map<DemoComplaint[K], number>();
  for (const e of entries) counts.set(e[key], (counts.get(e[key]) ?? 0) + 1);
  return counts;
}
