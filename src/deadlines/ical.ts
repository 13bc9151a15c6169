/**
 * Public-holiday import from iCalendar (RFC 5545) files (SPEC TIME-2), e.g. https://www.gov.uk/bank-holidays.ics.
 *
 * Reads all-day VEVENTs: `DTSTART;VALUE=DATE:20261225` (a bare 8-digit DTSTART value is accepted too), an
 * optional exclusive `DTEND;VALUE=DATE` or `DURATION:PnD`/`PnW` for multi-day events, `SUMMARY` as the name,
 * folded lines, `RRULE:FREQ=YEARLY` (with INTERVAL, COUNT or UNTIL; without them it is expanded for
 * `yearlyHorizon` years, 10 by default) and `EXDATE;VALUE=DATE`. Timed events (DTSTART with a time) are not
 * holidays and are skipped; cancelled events (STATUS:CANCELLED) too. Anything malformed — or an RRULE beyond
 * plain yearly repetition — raises ICalParseError naming the line.
 */
import { daysFromCivil, formatLocalDate, civilFromDays } from './calendar.ts';

export interface ICalHoliday {
  /** 'YYYY-MM-DD' */
  date: string;
  name: string;
}

export class ICalParseError extends Error {
  override name = 'ICalParseError';
  constructor(
    message: string,
    /** 1-based line number in the (unfolded) input, when known. */
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
  }
}

export interface ParseICalOptions {
  /** Years covered by an open-ended yearly RRULE (from its DTSTART). Default 10. */
  yearlyHorizon?: number;
}

interface Prop {
  name: string;
  params: Record<string, string>;
  value: string;
  line: number;
}

function unfold(text: string): Array<{ text: string; line: number }> {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const out: Array<{ text: string; line: number }> = [];
  raw.forEach((l, i) => {
    if ((l.startsWith(' ') || l.startsWith('\t')) && out.length) out[out.length - 1]!.text += l.slice(1);
    else if (l.trim() !== '') out.push({ text: l, line: i + 1 });
  });
  return out;
}

function parseProp(text: string, line: number): Prop {
  // NAME *(;PARAM=value) : value — the first ':' outside a quoted parameter value separates the value.
  let inQuote = false;
  let colon = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuote = !inQuote;
    else if (ch === ':' && !inQuote) {
      colon = i;
      break;
    }
  }
  if (colon <= 0) throw new ICalParseError(`expected "NAME:value", got "${text.slice(0, 40)}"`, line);
  const [name, ...paramParts] = text.slice(0, colon).split(';');
  if (!name || !/^[A-Za-z0-9-]+$/.test(name))
    throw new ICalParseError(`invalid property name "${name}"`, line);
  const params: Record<string, string> = {};
  for (const p of paramParts) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new ICalParseError(`invalid parameter "${p}"`, line);
    params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: name.toUpperCase(), params, value: text.slice(colon + 1), line };
}

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c)).trim();
}

/** Parses an 8-digit DATE value; returns null for a DATE-TIME (timed event). */
function parseDateValue(p: Prop): number | null {
  const v = p.value.trim();
  const isDateParam = (p.params.VALUE ?? '').toUpperCase() === 'DATE';
  if (/^\d{8}T\d{6}Z?$/.test(v) && !isDateParam) return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m) throw new ICalParseError(`invalid ${p.name} date "${v}"`, p.line);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const dn = daysFromCivil(y, mo, d);
  const [y2, mo2, d2] = civilFromDays(dn);
  if (mo < 1 || mo > 12 || y2 !== y || mo2 !== mo || d2 !== d)
    throw new ICalParseError(`invalid ${p.name} date "${v}"`, p.line);
  return dn;
}

function parseDurationDays(p: Prop): number {
  const m = /^\+?P(?:(\d+)W|(\d+)D)$/.exec(p.value.trim());
  if (!m) throw new ICalParseError(`unsupported DURATION "${p.value}" (expected PnD or PnW)`, p.line);
  return m[1] !== undefined ? Number(m[1]) * 7 : Number(m[2]);
}

interface YearlyRule {
  interval: number;
  count?: number;
  until?: number;
}
function parseRRule(p: Prop): YearlyRule {
  const parts: Record<string, string> = {};
  for (const kv of p.value.split(';')) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new ICalParseError(`invalid RRULE part "${kv}"`, p.line);
    parts[kv.slice(0, eq).toUpperCase()] = kv.slice(eq + 1);
  }
  if (parts.FREQ !== 'YEARLY')
    throw new ICalParseError(`unsupported RRULE FREQ "${parts.FREQ ?? ''}" (only YEARLY)`, p.line);
  for (const k of Object.keys(parts)) {
    if (!['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'WKST'].includes(k))
      throw new ICalParseError(
        `unsupported RRULE part ${k} (only plain yearly repetition is supported)`,
        p.line,
      );
  }
  const num = (k: string): number | undefined => {
    const v = parts[k];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new ICalParseError(`invalid RRULE ${k} "${v}"`, p.line);
    return Number(v);
  };
  const r: YearlyRule = { interval: num('INTERVAL') ?? 1 };
  const count = num('COUNT');
  if (count !== undefined) r.count = count;
  if (parts.UNTIL !== undefined) {
    const until = parseDateValue({
      ...p,
      name: 'UNTIL',
      value: parts.UNTIL.slice(0, 8),
      params: { VALUE: 'DATE' },
    });
    if (until !== null) r.until = until;
  }
  return r;
}

function expandEvent(props: Prop[], endLine: number, horizon: number): ICalHoliday[] {
  const get = (n: string): Prop | undefined => props.find((p) => p.name === n);
  const status = get('STATUS');
  if (status && status.value.trim().toUpperCase() === 'CANCELLED') return [];
  const dtstart = get('DTSTART');
  if (!dtstart) throw new ICalParseError('VEVENT without DTSTART', endLine);
  const start = parseDateValue(dtstart);
  if (start === null) return []; // timed event: not an all-day holiday
  let length = 1;
  const dtend = get('DTEND');
  const duration = get('DURATION');
  if (dtend) {
    const end = parseDateValue(dtend);
    if (end === null) throw new ICalParseError('all-day DTSTART with a timed DTEND', dtend.line);
    if (end <= start)
      throw new ICalParseError('DTEND must be after DTSTART (DTEND is exclusive)', dtend.line);
    length = end - start;
  } else if (duration) {
    length = parseDurationDays(duration);
    if (length < 1) throw new ICalParseError('DURATION must be at least one day', duration.line);
  }
  const summary = get('SUMMARY');
  const name = summary ? unescapeText(summary.value) : '';
  const excluded = new Set<number>();
  for (const p of props.filter((q) => q.name === 'EXDATE')) {
    for (const v of p.value.split(',')) {
      const dn = parseDateValue({ ...p, value: v });
      if (dn !== null) excluded.add(dn);
    }
  }
  const rrule = get('RRULE');
  const starts: number[] = [start];
  if (rrule) {
    const r = parseRRule(rrule);
    const [y, m, d] = civilFromDays(start);
    const lastYear = y + (r.count === undefined && r.until === undefined ? horizon - 1 : 10_000);
    starts.length = 0;
    for (let k = 0, yy = y; yy <= lastYear; yy += r.interval) {
      if (m === 2 && d === 29 && !(yy % 4 === 0 && (yy % 100 !== 0 || yy % 400 === 0))) continue;
      const dn = daysFromCivil(yy, m, d);
      if (r.until !== undefined && dn > r.until) break;
      if (r.count !== undefined && k >= r.count) break;
      k++;
      starts.push(dn);
    }
  }
  const out: ICalHoliday[] = [];
  for (const s of starts) {
    if (excluded.has(s)) continue;
    for (let i = 0; i < length; i++) out.push({ date: formatLocalDate(s + i), name });
  }
  return out;
}

/** Parses the all-day events of an iCalendar file into holidays, sorted by date, without duplicates. */
export function parseICalHolidays(text: string, options: ParseICalOptions = {}): ICalHoliday[] {
  const horizon = options.yearlyHorizon ?? 10;
  const lines = unfold(text);
  if (!lines.length || lines[0]!.text.trim().toUpperCase() !== 'BEGIN:VCALENDAR')
    throw new ICalParseError('not an iCalendar file (expected BEGIN:VCALENDAR)', lines[0]?.line ?? 1);
  const stack: string[] = [];
  let event: Prop[] | null = null;
  const out: ICalHoliday[] = [];
  let ended = false;
  for (const { text: t, line } of lines) {
    if (ended) throw new ICalParseError('content after END:VCALENDAR', line);
    const p = parseProp(t, line);
    if (p.name === 'BEGIN') {
      const comp = p.value.trim().toUpperCase();
      stack.push(comp);
      if (comp === 'VEVENT') {
        if (event) throw new ICalParseError('nested VEVENT', line);
        event = [];
      }
    } else if (p.name === 'END') {
      const comp = p.value.trim().toUpperCase();
      const open = stack.pop();
      if (open !== comp)
        throw new ICalParseError(`END:${comp} does not match BEGIN:${open ?? '(none)'}`, line);
      if (comp === 'VEVENT' && event) {
        if (stack.at(-1) === 'VCALENDAR') out.push(...expandEvent(event, line, horizon));
        event = null;
      }
      if (comp === 'VCALENDAR' && stack.length === 0) ended = true;
    } else if (event && stack.at(-1) === 'VEVENT') {
      event.push(p);
    }
  }
  if (stack.length) throw new ICalParseError(`unterminated ${stack.at(-1)} (missing END:${stack.at(-1)})`);
  const seen = new Set<string>();
  return out
    .filter((h) => {
      const k = `${h.date}\u0000${h.name}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.name.localeCompare(b.name)));
}

/** Just the dates, ready for `Calendar.holidays`. */
export function holidayDatesFromICal(text: string, options?: ParseICalOptions): string[] {
  return [...new Set(parseICalHolidays(text, options).map((h) => h.date))];
}
