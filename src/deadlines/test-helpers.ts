/**
 * Test helpers: an independent reading of local wall time straight from Intl (not through calendar.ts's caches)
 * to check the engine's instants against.
 */
const fmts = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD HH:MM:SS' wall time of an instant in a zone (sv-SE formats ISO-like). */
export function wallTime(d: Date, timeZone: string): string {
  let f = fmts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    fmts.set(timeZone, f);
  }
  return f.format(d);
}

/** Offset (local - UTC) in minutes according to Intl. */
export function intlOffsetMinutes(d: Date, timeZone: string): number {
  const w = wallTime(d, timeZone);
  const asUtc = Date.parse(w.replace(' ', 'T') + 'Z');
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
}

export const iso = (s: string): Date => new Date(s);
