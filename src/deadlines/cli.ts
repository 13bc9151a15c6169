/**
 * `redress deadlines …` — an administrator's tool to see what a profile does (issue 3 item 3).
 *
 *   deadlines compute --profile <id> [--profile <id2> …] --received <ISO instant> [--calendar <id>]
 *                     [--outcome upheld|partly_upheld|not_upheld] [--product-kind <kind>] [--now <ISO instant>]
 *   deadlines profiles      one JSON line listing the preset profiles
 *   deadlines calendars     one JSON line listing the preset calendars
 *
 * `compute` prints exactly one line {"milestones":[{"name","dueAt","profile","clock","rule"}, …]} and returns 0;
 * bad arguments print a message on `err` and return 2. `--calendar` replaces the calendar of every profile.
 * `argv` is the argument list after the program name; a leading "deadlines" is accepted and skipped.
 */
import { computeDueDates, DeadlineError, type DeadlineProfile, type Outcome } from './engine.ts';
import {
  getPreset,
  getPresetCalendar,
  presetCalendarMap,
  presetCalendars,
  presetProfiles,
} from './presets.ts';
import { CalendarError } from './calendar.ts';

const USAGE = [
  'usage: deadlines compute --profile <id> [--profile <id> …] --received <ISO instant> [--calendar <id>]',
  '                         [--outcome upheld|partly_upheld|not_upheld] [--product-kind <kind>] [--now <ISO instant>]',
  '       deadlines profiles',
  '       deadlines calendars',
];

const OUTCOMES: readonly Outcome[] = ['upheld', 'partly_upheld', 'not_upheld'];

/** Strict ISO 8601 instant: date, time and an explicit offset (Z or ±HH:MM); a local time is ambiguous. */
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/i;

export function parseInstant(s: string): Date | null {
  const m = INSTANT_RE.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59)
    return null;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return null;
  const date = new Date(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? null : date;
}

interface Parsed {
  command: string | undefined;
  options: Map<string, string[]>;
  positional: string[];
}

const VALUE_OPTIONS = new Set(['profile', 'received', 'calendar', 'outcome', 'product-kind', 'now']);

function parseArgs(argv: string[]): Parsed | string {
  const args = argv[0] === 'deadlines' ? argv.slice(1) : argv;
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (key === 'help') {
      options.set('help', []);
      continue;
    }
    if (!VALUE_OPTIONS.has(key)) return `unknown option --${key}`;
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') return `option --${key} needs a value`;
    options.set(key, [...(options.get(key) ?? []), value]);
  }
  return { command: args[0], options, positional };
}

const knownProfiles = (): string => presetProfiles.map((p) => p.id).join(', ');
const knownCalendars = (): string => presetCalendars.map((c) => c.id).join(', ');

export function deadlinesCli(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  const parsed = parseArgs(argv);
  const fail = (msg: string): number => {
    err(`deadlines: ${msg}`);
    for (const l of USAGE) err(l);
    return 2;
  };
  if (typeof parsed === 'string') return fail(parsed);
  const { command, options, positional } = parsed;
  if (command === undefined) return fail('missing command');
  if (command === 'help' || command === '--help' || options.has('help')) {
    for (const l of USAGE) out(l);
    return 0;
  }
  if (positional.length) return fail(`unexpected argument '${positional[0]}'`);

  if (command === 'profiles') {
    out(
      JSON.stringify({
        profiles: presetProfiles.map((p) => ({
          id: p.id,
          version: p.version,
          name: p.name,
          jurisdiction: p.jurisdiction,
          source: p.source,
          calendar: p.calendarId,
          milestones: p.milestones.map((m) => ({ name: m.name, clock: m.clock, rule: m.rule })),
        })),
      }),
    );
    return 0;
  }
  if (command === 'calendars') {
    out(
      JSON.stringify({
        calendars: presetCalendars.map((c) => ({
          id: c.id,
          name: c.name,
          timeZone: c.timeZone,
          holidays: c.holidays.length,
          firstHoliday: c.holidays[0] ?? null,
          lastHoliday: c.holidays.at(-1) ?? null,
        })),
      }),
    );
    return 0;
  }
  if (command !== 'compute') return fail(`unknown command '${command}'`);

  const ids = (options.get('profile') ?? []).flatMap((v) => v.split(',')).filter(Boolean);
  if (!ids.length) return fail(`--profile is required; known profiles: ${knownProfiles()}`);
  const profiles: DeadlineProfile[] = [];
  for (const id of ids) {
    const p = getPreset(id);
    if (!p) return fail(`unknown profile '${id}'; known profiles: ${knownProfiles()}`);
    profiles.push(p);
  }
  const single = (k: string): string | undefined | null => {
    const v = options.get(k);
    return v === undefined ? undefined : v.length > 1 ? null : v[0];
  };
  for (const k of ['received', 'calendar', 'outcome', 'product-kind', 'now'])
    if (single(k) === null) return fail(`--${k} given more than once`);

  const receivedRaw = single('received');
  if (!receivedRaw) return fail('--received <ISO instant> is required, e.g. 2026-12-24T17:30:00Z');
  const receivedAt = parseInstant(receivedRaw);
  if (!receivedAt)
    return fail(
      `invalid instant '${receivedRaw}' for --received (ISO 8601 with an offset, e.g. 2026-12-24T17:30:00Z)`,
    );
  const nowRaw = single('now');
  const now = nowRaw ? parseInstant(nowRaw) : undefined;
  if (now === null) return fail(`invalid instant '${nowRaw}' for --now`);

  const calendarId = single('calendar');
  let runProfiles = profiles;
  if (calendarId) {
    if (!getPresetCalendar(calendarId))
      return fail(`unknown calendar '${calendarId}'; known calendars: ${knownCalendars()}`);
    runProfiles = profiles.map((p) => ({ ...p, calendarId }));
  }
  const outcome = single('outcome');
  if (outcome && !OUTCOMES.includes(outcome as Outcome))
    return fail(`invalid --outcome '${outcome}' (one of ${OUTCOMES.join(', ')})`);
  const productKind = single('product-kind');

  try {
    const milestones = computeDueDates({
      receivedAt,
      profiles: runProfiles,
      calendars: presetCalendarMap,
      context: {
        ...(outcome ? { outcome: outcome as Outcome } : {}),
        ...(productKind ? { productKind } : {}),
      },
      ...(now ? { now } : {}),
    });
    out(
      JSON.stringify({
        milestones: milestones.map((m) => ({
          name: m.name,
          dueAt: m.dueAt.toISOString(),
          profile: m.profileId,
          clock: m.clock,
          rule: m.rule,
        })),
      }),
    );
    return 0;
  } catch (e) {
    if (e instanceof DeadlineError || e instanceof CalendarError) return fail(e.message);
    throw e;
  }
}
