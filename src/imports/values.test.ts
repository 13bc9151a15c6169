import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { moneyTokens, normaliseZip, parseDate, parseMoney, slug } from './values.ts';

describe('parseDate', () => {
  it('reads the formats found in exports', () => {
    expect(parseDate('2020-03-18')).toBe('2020-03-18');
    expect(parseDate('2020/3/18')).toBe('2020-03-18');
    expect(parseDate('03/18/2020')).toBe('2020-03-18');
    expect(parseDate('3/18/20')).toBe('2020-03-18');
    expect(parseDate('18.03.2020')).toBe('2020-03-18');
    expect(parseDate(' 2020-03-18T10:11:12Z ')).toBe('2020-03-18');
    expect(parseDate('12/31/99')).toBe('1999-12-31');
  });

  it('reads ambiguous day/month dates in the preset order', () => {
    expect(parseDate('03/04/2020', ['ymd', 'mdy', 'dmy'])).toBe('2020-03-04');
    expect(parseDate('03/04/2020', ['dmy', 'mdy'])).toBe('2020-04-03');
    expect(parseDate('18.03.2020', ['mdy', 'dmy'])).toBe('2020-03-18');
    expect(parseDate('18/03/2020', ['mdy'])).toBeNull();
    expect(parseDate('03.04.2020', ['ymd', 'mdy', 'dmy'])).toBe('2020-04-03');
    expect(parseDate('03.04.2020', ['mdy'])).toBe('2020-03-04');
    expect(parseDate('03/04-2020')).toBeNull();
  });

  it('refuses what is not a calendar date', () => {
    for (const bad of [
      '',
      'yesterday',
      '2020-13-01',
      '2020-02-30',
      '2019-02-29',
      '31/31/2020',
      '2020-3',
      '1850-01-01',
      '20200318',
    ]) {
      expect(parseDate(bad)).toBeNull();
    }
    expect(parseDate('2020-02-29')).toBe('2020-02-29');
  });

  it('reads every valid date back from every format (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2069-12-31'), noInvalidDate: true }),
        (d) => {
          const y = d.getUTCFullYear();
          const m = d.getUTCMonth() + 1;
          const day = d.getUTCDate();
          const iso = d.toISOString().slice(0, 10);
          const p = (n: number) => String(n).padStart(2, '0');
          expect(parseDate(iso)).toBe(iso);
          expect(parseDate(`${y}/${m}/${day}`)).toBe(iso);
          expect(parseDate(`${p(m)}/${p(day)}/${y}`, ['mdy'])).toBe(iso);
          expect(parseDate(`${m}/${day}/${String(y).slice(2)}`, ['mdy'])).toBe(iso);
          expect(parseDate(`${p(day)}.${p(m)}.${y}`, ['dmy'])).toBe(iso);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('normaliseZip', () => {
  it('puts back the leading zeros of US ZIP codes', () => {
    expect(normaliseZip('2134', 'MA')).toBe('02134');
    expect(normaliseZip('601', 'PR')).toBe('00601');
    expect(normaliseZip('7030.0', 'NJ')).toBe('07030');
    expect(normaliseZip('2134-1234', 'ma')).toBe('02134-1234');
    expect(normaliseZip('90210', 'CA')).toBe('90210');
  });
  it('keeps redacted, foreign and unknown forms', () => {
    expect(normaliseZip('021XX', 'MA')).toBe('021XX');
    expect(normaliseZip('2134', '')).toBe('2134');
    expect(normaliseZip('1234', 'ZZ')).toBe('1234');
    expect(normaliseZip('12', 'MA')).toBe('12');
  });
});

describe('money', () => {
  it('finds the CFPB money tokens', () => {
    expect(moneyTokens('charged {$21.00} and then {$1,250.00}; not $5 or {$}')).toEqual([21, 1250]);
  });
  it('reads money as typed in spreadsheets', () => {
    expect(parseMoney('$1,234.50')).toBe(1234.5);
    expect(parseMoney('(12.00)')).toBe(-12);
    expect(parseMoney('USD 3')).toBe(3);
    expect(parseMoney('-£7.5')).toBe(-7.5);
    expect(parseMoney('12,34')).toBeNull();
    expect(parseMoney('abc')).toBeNull();
  });
});

describe('slug', () => {
  it('makes short stable keys', () => {
    expect(slug('Debt collection')).toBe('debt-collection');
    expect(slug('Crédit — Ünïcode!')).toBe('credit-unicode');
    const long = slug('Credit reporting, credit repair services, or other personal consumer reports', 20);
    expect(long.length).toBeLessThanOrEqual(20);
    expect(long).toMatch(/^credit-repor.*-[0-9a-f]{6}$/);
    expect(slug('Credit reporting, credit repair services, or other personal consumer reports', 20)).toBe(
      long,
    );
    expect(slug('Credit reporting, credit repair services, or other personal consumer report', 20)).not.toBe(
      long,
    );
    expect(slug('投诉')).toMatch(/^x-[0-9a-f]{6}$/);
    expect(slug('投诉')).not.toBe(slug('银行'));
  });
});
