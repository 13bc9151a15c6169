import { describe, expect, it } from 'vitest';
import { deadlinesCli, parseInstant } from './cli.ts';
import { presetProfiles } from './presets.ts';
import { runEngineBench } from './engine.bench-helper.ts';

function run(...argv: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = deadlinesCli(
    argv,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

describe('deadlines compute', () => {
  it('prints exactly one JSON line (uk-fca-disp, Christmas Eve 17:30 London)', () => {
    // See presets.examples.test.ts for the reasoning behind both instants.
    const r = run('compute', '--profile', 'uk-fca-disp', '--received', '2026-12-24T17:30:00Z');
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out).toEqual([
      JSON.stringify({
        milestones: [
          {
            name: 'summary-resolution',
            dueAt: '2026-12-31T17:00:00.000Z',
            profile: 'uk-fca-disp',
            clock: 'regulatory',
            rule: 'by close of business on the 3rd business day following the day of receipt (DISP 1.5.1R)',
          },
          {
            name: 'final-response',
            dueAt: '2027-02-18T23:59:59.999Z',
            profile: 'uk-fca-disp',
            clock: 'regulatory',
            rule: 'final response (or a written response explaining the delay) by the end of 8 weeks after receipt (DISP 1.6.2R)',
          },
        ],
      }),
    ]);
  });

  it('accepts a leading "deadlines", --opt=value, repeated and comma-separated profiles, and offsets', () => {
    const r = run(
      'deadlines',
      'compute',
      '--profile=uk-fca-disp,uk-fca-psd',
      '--received',
      '2026-12-24T17:30:00+00:00',
    );
    expect(r.code).toBe(0);
    const ms = JSON.parse(r.out[0]!).milestones as Array<{ name: string; dueAt: string; profile: string }>;
    expect(ms.map((m) => [m.name, m.profile])).toEqual([
      ['summary-resolution', 'uk-fca-disp'],
      ['holding-response', 'uk-fca-psd'],
      ['final-response', 'uk-fca-psd'],
    ]);
    const again = run(
      'compute',
      '--profile',
      'uk-fca-disp',
      '--profile',
      'uk-fca-psd',
      '--received',
      '2026-12-24T18:30:00+01:00',
    );
    expect(again.out).toEqual(r.out);
  });

  it('--calendar replaces the profile calendar', () => {
    // Default calendar (UTC, no holidays): Fri 25 (1), Mon 28 (2), Tue 29 (3) Dec -> 17:00Z.
    const r = run(
      'compute',
      '--profile',
      'uk-fca-disp',
      '--received',
      '2026-12-24T17:30:00Z',
      '--calendar',
      'default',
    );
    expect(JSON.parse(r.out[0]!).milestones[0]).toMatchObject({
      name: 'summary-resolution',
      dueAt: '2026-12-29T17:00:00.000Z',
    });
  });

  it('passes --outcome and --product-kind to the engine', () => {
    const upheld = run(
      'compute',
      '--profile',
      'in-rbi',
      '--received',
      '2026-01-31T19:00:00Z',
      '--outcome',
      'upheld',
    );
    expect(JSON.parse(upheld.out[0]!).milestones.map((m: { name: string }) => m.name)).toEqual([
      'final-response',
    ]);
    const sup = run(
      'compute',
      '--profile',
      'au-asic-rg271',
      '--received',
      '2026-10-02T09:00:00Z',
      '--product-kind',
      'superannuation',
    );
    expect(JSON.parse(sup.out[0]!).milestones[1].dueAt).toBe('2026-11-16T12:59:59.999Z');
  });

  it.each([
    [
      ['compute', '--profile', 'uk-fca-dsp', '--received', '2026-01-01T00:00:00Z'],
      /unknown profile 'uk-fca-dsp'; known profiles: iso-default, uk-fca-disp/,
    ],
    [['compute', '--received', '2026-01-01T00:00:00Z'], /--profile is required/],
    [['compute', '--profile', 'uk-fca-disp'], /--received <ISO instant> is required/],
    [
      ['compute', '--profile', 'uk-fca-disp', '--received', '2026-12-24 17:30'],
      /invalid instant '2026-12-24 17:30'/,
    ],
    [['compute', '--profile', 'uk-fca-disp', '--received', '2026-12-24T17:30:00'], /invalid instant/], // no offset
    [['compute', '--profile', 'uk-fca-disp', '--received', '2026-02-30T10:00:00Z'], /invalid instant/],
    [
      ['compute', '--profile', 'uk-fca-disp', '--received', '2026-01-01T00:00:00Z', '--calendar', 'mars'],
      /unknown calendar 'mars'; known calendars: gb-eaw/,
    ],
    [
      ['compute', '--profile', 'uk-fca-disp', '--received', '2026-01-01T00:00:00Z', '--outcome', 'maybe'],
      /invalid --outcome/,
    ],
    [['compute', '--profile', 'uk-fca-disp', '--received'], /--received needs a value/],
    [
      ['compute', '--profile', 'uk-fca-disp', '--received', '2026-01-01T00:00:00Z', '--colour', 'red'],
      /unknown option --colour/,
    ],
    [
      [
        'compute',
        '--received',
        '2026-01-01T00:00:00Z',
        '--received',
        '2026-01-02T00:00:00Z',
        '--profile',
        'uk-fca-disp',
      ],
      /more than once/,
    ],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [[], /missing command/],
  ])('%j fails with exit code 2', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err[0]).toMatch(message);
  });
});

describe('deadlines profiles / calendars / help', () => {
  it('lists the presets', () => {
    const r = run('profiles');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    const list = JSON.parse(r.out[0]!).profiles as Array<{ id: string; source: string; calendar: string }>;
    expect(list.map((p) => p.id)).toEqual(presetProfiles.map((p) => p.id));
    expect(list.find((p) => p.id === 'uk-fca-disp')).toMatchObject({
      calendar: 'gb-eaw',
      source: expect.stringContaining('DISP'),
    });
  });
  it('lists the calendars', () => {
    const r = run('calendars');
    expect(JSON.parse(r.out[0]!).calendars.map((c: { id: string }) => c.id)).toContain('gb-eaw');
  });
  it('prints usage on --help', () => {
    const r = run('compute', '--help');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^usage: deadlines compute/);
  });
});

describe('parseInstant', () => {
  it('accepts ISO 8601 instants with an offset only', () => {
    expect(parseInstant('2026-12-24T17:30Z')?.toISOString()).toBe('2026-12-24T17:30:00.000Z');
    expect(parseInstant('2026-12-24T17:30:00.5-05:00')?.toISOString()).toBe('2026-12-24T22:30:00.500Z');
    expect(parseInstant('2026-12-24T17:30+0100')?.toISOString()).toBe('2026-12-24T16:30:00.000Z');
    for (const bad of [
      '2026-12-24',
      '2026-12-24T17:30',
      '2026-12-24T25:00Z',
      '2026-12-24T10:00+25:00',
      'now',
    ])
      expect(parseInstant(bad)).toBeNull();
  });
});

describe('engine bench helper', () => {
  it('runs and reports a rate', () => {
    const r = runEngineBench(50);
    expect(r.perSecond).toBeGreaterThan(0);
    expect(r.milestonesPerSecond).toBeGreaterThan(r.perSecond);
  });
});
