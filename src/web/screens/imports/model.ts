/** The shapes of the imports and scheduled-reports APIs, and small pure helpers for the screen. */
export interface ImportRun {
  id: string;
  preset: string;
  filename: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  bytes: number;
  total: number | null;
  processed: number;
  imported: number;
  rejected: number;
  duplicates: number;
  encoding: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  seconds: number | null;
  error: string | null;
}
export interface Rejection {
  line: number;
  sourceId: string | null;
  reason: string;
}
export interface Preset {
  name: string;
  builtin: boolean;
  description: string;
}

export const reportKinds = ['complaints', 'kpis', 'fca_return'] as const;
export const reportFormats = ['xlsx', 'csv'] as const;
export const frequencies = ['daily', 'weekly', 'monthly'] as const;
export interface Schedule {
  id: string;
  name: string;
  kind: (typeof reportKinds)[number];
  format: (typeof reportFormats)[number];
  recipients: string[];
  frequency: (typeof frequencies)[number];
  timeOfDay: string;
  weekday: number;
  dayOfMonth: number;
  timeZone: string;
  language: string;
  active: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  version: number;
}

export const finished = (r: ImportRun) => r.status === 'done' || r.status === 'failed';

/** Share done, 0..100, or null when the total is not known yet. */
export function percent(r: ImportRun): number | null {
  if (r.status === 'done') return 100;
  if (!r.total) return null;
  return Math.min(100, Math.round((r.processed / r.total) * 100));
}

const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;
/** Addresses separated by commas, semicolons, spaces or new lines; `bad` lists those that are not addresses. */
export function parseRecipients(text: string): { good: string[]; bad: string[] } {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const unique = [...new Set(parts)];
  return { good: unique.filter((p) => EMAIL.test(p)), bad: unique.filter((p) => !EMAIL.test(p)) };
}

/** The user's own time zone, the default for a new schedule. */
export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
