import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  apiParams,
  bases,
  controlMetrics,
  controlPeriod,
  fileSlug,
  fromSearch,
  groupBys,
  isEmpty,
  localDate,
  pct,
  periodLabel,
  periods,
  presetRange,
  rangePresets,
  toCsv,
  toSearch,
  type Filters,
  type Kpis,
} from './model.ts';

const today = '2026-03-15';
const q = (s: string) => new URLSearchParams(s);

describe('filters in the address', () => {
  it('no query: the last 12 months by month, grouped by category, calendar time, upheld share', () => {
    expect(fromSearch(q(''), today)).toEqual({
      range: 'last12m',
      from: '2025-04-01',
      to: '2026-03-15',
      period: 'month',
      groupBy: 'category',
      basis: 'calendar',
      metric: 'upheld',
      category: '',
      product: '',
      channel: '',
      team: '',
      type: '',
    });
    expect(toSearch(fromSearch(q(''), today)).toString()).toBe('');
  });

  it('custom dates win over a preset; malformed or reversed dates fall back to the preset', () => {
    expect(fromSearch(q('from=2026-01-01&to=2026-01-31&range=last30'), today)).toMatchObject({
      range: 'custom',
      from: '2026-01-01',
      to: '2026-01-31',
    });
    for (const bad of [
      'from=2026-02-30&to=2026-03-01',
      'from=2026-03-01&to=2026-01-01',
      'from=x&to=y',
      'from=2026-01-01',
    ]) {
      expect(fromSearch(q(`${bad}&range=last30`), today), bad).toMatchObject({
        range: 'last30',
        from: '2026-02-14',
        to: today,
      });
    }
  });

  it('unknown values take the defaults; dimensions are kept (and cut to 200 characters)', () => {
    const f = fromSearch(
      q(
        `period=year&groupBy=colour&basis=x&metric=y&range=z&category=fees.overdraft&team=${'t'.repeat(300)}`,
      ),
      today,
    );
    expect(f).toMatchObject({
      period: 'month',
      groupBy: 'category',
      basis: 'calendar',
      metric: 'upheld',
      range: 'last12m',
      category: 'fees.overdraft',
    });
    expect(f.team).toHaveLength(200);
  });

  it('keeps the language of the address, and only what differs from the defaults', () => {
    const f = { ...fromSearch(q(''), today), period: 'week' as const, channel: 'email' };
    expect(toSearch(f, q('lang=ar&junk=1')).toString()).toBe('lang=ar&period=week&channel=email');
  });

  it('round-trips any filters through the address', () => {
    const date = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    const dim = fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 30 }));
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...rangePresets), fc.constant('custom' as const)),
        date,
        date,
        fc.constantFrom(...periods),
        fc.constantFrom(...groupBys),
        fc.constantFrom(...bases),
        fc.constantFrom(...controlMetrics),
        fc.tuple(dim, dim, dim, dim, dim),
        (range, a, b, period, groupBy, basis, metric, [category, product, channel, team, type]) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const dates = range === 'custom' ? { from, to } : presetRange(range, today);
          const f: Filters = {
            range,
            ...dates,
            period,
            groupBy,
            basis,
            metric,
            category,
            product,
            channel,
            team,
            type,
          };
          expect(fromSearch(q(toSearch(f).toString()), today)).toEqual(f);
        },
      ),
    );
  });

  it('the API gets the dates and the narrowing dimensions only', () => {
    const f = { ...fromSearch(q('category=a&team=b&groupBy=team'), today) };
    expect(apiParams(f)).toEqual({ from: '2025-04-01', to: today, category: 'a', team: 'b' });
  });
});

describe('date range presets', () => {
  it('each preset ends today (last year: on its 31 December) and starts where it says', () => {
    expect(presetRange('last30', today)).toEqual({ from: '2026-02-14', to: today });
    expect(presetRange('last90', today)).toEqual({ from: '2025-12-16', to: today });
    expect(presetRange('last12m', today)).toEqual({ from: '2025-04-01', to: today });
    expect(presetRange('last12m', '2026-12-31')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(presetRange('thisYear', today)).toEqual({ from: '2026-01-01', to: today });
    expect(presetRange('lastYear', today)).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('from is never after to, and the last N days hold N days', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-03-01T00:00:00Z'),
          max: new Date('2099-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          for (const p of rangePresets) {
            const r = presetRange(p, day);
            expect(r.from <= r.to).toBe(true);
          }
          const r = presetRange('last30', day);
          expect((Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 + 1).toBe(30);
        },
      ),
    );
  });

  it('localDate is the local calendar date', () => {
    expect(localDate(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});

describe('period labels', () => {
  it('months, quarters, weeks and days in the locale; unknown shapes keep the fallback', () => {
    expect(periodLabel('2026-03-01', 'month', 'en-GB')).toBe('Mar 2026');
    expect(periodLabel('2026-03', 'month', 'en-GB')).toBe('Mar 2026');
    expect(periodLabel('2026-04-01', 'quarter', 'en-GB')).toBe('Q2 2026');
    expect(periodLabel('2026-Q1', 'quarter', 'en-GB')).toBe('Q1 2026');
    expect(periodLabel('2026-03-02', 'week', 'en-GB')).toBe('2 Mar 2026');
    expect(periodLabel('2026-03-02', 'day', 'nl-NL')).toBe('2 mrt 2026');
    expect(periodLabel('2026-W10', 'week', 'en-GB', 'week 10')).toBe('week 10');
    expect(periodLabel('none', 'month', 'en-GB')).toBe('none');
    expect(periodLabel('2026-03-01', 'month', 'fa-IR')).toMatch(/[۰-۹]/);
  });

  it('the control chart is weekly for days and weeks, monthly otherwise', () => {
    expect(periods.map(controlPeriod)).toEqual(['week', 'week', 'month', 'month']);
  });
});

describe('CSV of what a chart shows', () => {
  it('RFC 4180 with a BOM and CRLF; quotes, commas and new lines quoted; formulas made inert', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x, y', 'say "hi"'],
          ['=1+1', -5],
          [null, 'line\nbreak'],
          ['@sum', '+1'],
        ],
      ),
    ).toBe('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\'=1+1,-5\r\n,"line\nbreak"\r\n\'@sum,\'+1\r\n');
  });

  it('every cell comes back from a plain CSV parse', () => {
    const parse = (csv: string) => {
      const rows: string[][] = [];
      let row: string[] = [];
      let cell = '';
      let quoted = false;
      const s = csv.replace(/^\uFEFF/, '');
      for (let i = 0; i < s.length; i++) {
        const c = s[i]!;
        if (quoted) {
          if (c === '"' && s[i + 1] === '"') {
            cell += '"';
            i++;
          } else if (c === '"') quoted = false;
          else cell += c;
        } else if (c === '"') quoted = true;
        else if (c === ',') {
          row.push(cell);
          cell = '';
        } else if (c === '\r' && s[i + 1] === '\n') {
          row.push(cell);
          rows.push(row);
          row = [];
          cell = '';
          i++;
        } else cell += c;
      }
      return rows;
    };
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(fc.string(), fc.integer()), { minLength: 2, maxLength: 2 }), {
          maxLength: 5,
        }),
        (rows) => {
          const back = parse(toCsv(['h1', 'h2'], rows));
          expect(back[0]).toEqual(['h1', 'h2']);
          back.slice(1).forEach((r, i) =>
            r.forEach((c, j) => {
              const v = rows[i]![j]!;
              const s = String(v);
              expect(c).toBe(typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
            }),
          );
        },
      ),
    );
  });

  it('file names from titles', () => {
    expect(fileSlug('Pareto of categories')).toBe('pareto-of-categories');
    expect(fileSlug('مخطط باريتو للفئات')).toBe('مخطط-باريتو-للفئات');
    expect(fileSlug('***')).toBe('chart');
  });
});

describe('small helpers', () => {
  it('percentages with one decimal', () => {
    expect(pct(0.12345)).toBe(12.3);
    expect(pct(null)).toBeNull();
    expect(pct(Number.NaN)).toBeNull();
  });
  it('an empty report has nothing received, open or closed', () => {
    const k = { received: 0, open: 0, closed: 0 } as Kpis;
    expect(isEmpty(k)).toBe(true);
    expect(isEmpty(undefined)).toBe(true);
    expect(isEmpty({ ...k, open: 1 })).toBe(false);
  });
});
