/**
 * When a scheduled report runs and which period it covers (pure; time zones through the deadline engine's zone
 * tables). A schedule runs at `timeOfDay` local time: every day, every week on `weekday` (ISO, 1 = Monday) or every
 * month on `dayOfMonth` (1–28, so every month has it). A run covers the last complete period before it: yesterday,
 * the previous ISO week (Monday–Sunday) or the previous calendar month, in the schedule's zone.
 */
import {
  civilFromDays,
  daysFromCivil,
  fromLocalDateTime,
  isoWeekday,
  localDateOf,
  parseLocalDate,
  formatLocalDate,
} from '../deadlines/calendar.ts';
import type { ReportFrequency } from './db-schema.ts';

export interface Recurrence {
  frequency: ReportFrequency;
  /** 'HH:MM', local */
  timeOfDay: string;
  /** ISO weekday for weekly schedules (1 = Monday … 7 = Sunday) */
  weekday: number;
  /** day of the month for monthly schedules (1–28) */
  dayOfMonth: number;
  timeZone: string;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function matches(r: Recurrence, dn: number): boolean {
  if (r.frequency === 'daily') return true;
  if (r.frequency === 'weekly') return isoWeekday(dn) === r.weekday;
  return civilFromDays(dn)[2] === r.dayOfMonth;
}

/** The first run strictly after `after`. */
export function nextRunAfter(r: Recurrence, after: Date): Date {
  const start = parseLocalDate(localDateOf(after, r.timeZone)) - 1;
  for (let dn = start; dn < start + 400; dn++) {
    if (!matches(r, dn)) continue;
    const at = fromLocalDateTime(formatLocalDate(dn), r.timeOfDay, r.timeZone);
    if (at.getTime() > after.getTime()) return at;
  }
  throw new RangeError('no next run within 400 days');
}

/** The last complete period before `runAt` (dates inclusive, 'YYYY-MM-DD', in the schedule's zone). */
export function reportPeriod(
  frequency: ReportFrequency,
  runAt: Date,
  timeZone: string,
): { from: string; to: string } {
  const today = parseLocalDate(localDateOf(runAt, timeZone));
  if (frequency === 'daily') return { from: formatLocalDate(today - 1), to: formatLocalDate(today - 1) };
  if (frequency === 'weekly') {
    const monday = today - (isoWeekday(today) - 1);
    return { from: formatLocalDate(monday - 7), to: formatLocalDate(monday - 1) };
  }
  const [y, m] = civilFromDays(today);
  const first = daysFromCivil(y, m, 1);
  const [py, pm] = civilFromDays(first - 1);
  return { from: formatLocalDate(daysFromCivil(py, pm, 1)), to: formatLocalDate(first - 1) };
}

/** The instants bounding a period of local dates: [start of `from`, start of the day after `to`). */
export function periodInstants(
  p: { from: string; to: string },
  timeZone: string,
): { start: Date; end: Date } {
  return {
    start: fromLocalDateTime(p.from, '00:00', timeZone),
    end: fromLocalDateTime(formatLocalDate(parseLocalDate(p.to) + 1), '00:00', timeZone),
  };
}
