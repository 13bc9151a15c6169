import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ICalParseError, holidayDatesFromICal, parseICalHolidays } from './ical.ts';
import { addBusinessDays, type Calendar, weekdayHours } from './calendar.ts';

const cal = (...events: string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
const ev = (...lines: string[]): string => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n');

describe('parseICalHolidays', () => {
  it('reads gov.uk-style all-day events with folded lines and escapes', () => {
    const text = cal(
      ev('DTSTART;VALUE=DATE:20261225', 'DTEND;VALUE=DATE:20261226', 'SUMMARY:Christmas Day', 'UID:1'),
      ev(
        'DTSTART;VALUE=DATE:20261228',
        'DTEND;VALUE=DATE:20261229',
        'SUMMARY:Boxing Day\\, substi',
        ' tute day',
        'UID:2',
      ),
      ev('DTSTART;VALUE=DATE:20260406', 'SUMMARY:Easter Monday', 'UID:3'),
    );
    expect(parseICalHolidays(text)).toEqual([
      { date: '2026-04-06', name: 'Easter Monday' },
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-28', name: 'Boxing Day, substitute day' },
    ]);
  });

  it('expands multi-day events (DTEND is exclusive) and DURATION', () => {
    const text = cal(
      ev('DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261227', 'SUMMARY:Christmas closure'),
      ev('DTSTART:20270101', 'DURATION:P2D', 'SUMMARY:New Year'),
    );
    expect(holidayDatesFromICal(text)).toEqual([
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
      '2027-01-01',
      '2027-01-02',
    ]);
  });

  it('expands yearly recurrences with COUNT, UNTIL, INTERVAL and EXDATE, and a horizon when open-ended', () => {
    expect(
      holidayDatesFromICal(cal(ev('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY;COUNT=3', 'SUMMARY:NY'))),
    ).toEqual(['2026-01-01', '2027-01-01', '2028-01-01']);
    expect(
      holidayDatesFromICal(
        cal(
          ev(
            'DTSTART;VALUE=DATE:20261225',
            'RRULE:FREQ=YEARLY;UNTIL=20281231T000000Z',
            'EXDATE;VALUE=DATE:20271225',
          ),
        ),
      ),
    ).toEqual(['2026-12-25', '2028-12-25']);
    expect(
      holidayDatesFromICal(cal(ev('DTSTART;VALUE=DATE:20260317', 'RRULE:FREQ=YEARLY;INTERVAL=2;COUNT=2'))),
    ).toEqual(['2026-03-17', '2028-03-17']);
    expect(
      holidayDatesFromICal(cal(ev('DTSTART;VALUE=DATE:20260704', 'RRULE:FREQ=YEARLY')), { yearlyHorizon: 3 }),
    ).toEqual(['2026-07-04', '2027-07-04', '2028-07-04']);
    expect(holidayDatesFromICal(cal(ev('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY')))).toHaveLength(
      10,
    );
  });

  it('skips timed and cancelled events, and components nested in events', () => {
    const text = cal(
      ev('DTSTART:20261225T090000Z', 'DTEND:20261225T100000Z', 'SUMMARY:Meeting'),
      ev('DTSTART;TZID=Europe/London:20261226T090000', 'SUMMARY:Timed'),
      ev('DTSTART;VALUE=DATE:20261231', 'STATUS:CANCELLED', 'SUMMARY:Cancelled'),
      ev(
        'DTSTART;VALUE=DATE:20260101',
        'SUMMARY:New Year',
        'BEGIN:VALARM',
        'TRIGGER:-PT15M',
        'SUMMARY:alarm',
        'END:VALARM',
      ),
    );
    expect(parseICalHolidays(text)).toEqual([{ date: '2026-01-01', name: 'New Year' }]);
  });

  it('accepts LF line endings, a BOM, and de-duplicates', () => {
    const text =
      '\uFEFF' +
      cal(
        ev('DTSTART;VALUE=DATE:20260101', 'SUMMARY:NY'),
        ev('DTSTART;VALUE=DATE:20260101', 'SUMMARY:NY'),
      ).replace(/\r\n/g, '\n');
    expect(parseICalHolidays(text)).toEqual([{ date: '2026-01-01', name: 'NY' }]);
  });

  it.each([
    ['not a calendar', 'hello', /expected BEGIN:VCALENDAR/],
    [
      'unterminated event',
      'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nEND:VCALENDAR',
      /does not match/,
    ],
    [
      'missing END:VCALENDAR',
      'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nEND:VEVENT',
      /unterminated VCALENDAR/,
    ],
    ['no DTSTART', cal(ev('SUMMARY:x')), /without DTSTART/],
    ['bad date', cal(ev('DTSTART;VALUE=DATE:20260230')), /invalid DTSTART date/],
    ['garbage date', cal(ev('DTSTART;VALUE=DATE:tomorrow')), /invalid DTSTART date/],
    [
      'DTEND before DTSTART',
      cal(ev('DTSTART;VALUE=DATE:20260102', 'DTEND;VALUE=DATE:20260101')),
      /DTEND must be after/,
    ],
    ['line without colon', cal(ev('DTSTART;VALUE=DATE:20260101', 'SUMMARY')), /expected "NAME:value"/],
    ['monthly rule', cal(ev('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=MONTHLY')), /only YEARLY/],
    [
      'BYDAY rule',
      cal(ev('DTSTART;VALUE=DATE:20260525', 'RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO')),
      /unsupported RRULE part/,
    ],
    ['bad duration', cal(ev('DTSTART;VALUE=DATE:20260101', 'DURATION:PT1H')), /unsupported DURATION/],
  ])('rejects %s with ICalParseError', (_label, text, message) => {
    expect(() => parseICalHolidays(text)).toThrow(ICalParseError);
    expect(() => parseICalHolidays(text)).toThrow(message);
  });

  it('reports the line of the problem', () => {
    try {
      parseICalHolidays(cal(ev('DTSTART;VALUE=DATE:20261301')));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ICalParseError);
      expect((e as ICalParseError).line).toBe(5);
    }
  });

  it('round-trips any set of dates, and the result feeds a calendar', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 20_000, max: 22_000 }), { maxLength: 20 }), (dns) => {
        const dates = dns.map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
        const text = cal(
          ...dates.map((d, i) => ev(`DTSTART;VALUE=DATE:${d.replace(/-/g, '')}`, `SUMMARY:H${i}`)),
        );
        expect(holidayDatesFromICal(text)).toEqual([...dates].sort());
      }),
    );
    const holidays = holidayDatesFromICal(
      cal(ev('DTSTART;VALUE=DATE:20261225', 'DTEND;VALUE=DATE:20261229')),
    );
    const c: Calendar = {
      id: 'ics',
      name: 'ics',
      timeZone: 'Europe/London',
      workingHours: weekdayHours('09:00', '17:00'),
      holidays,
    };
    expect(addBusinessDays(c, '2026-12-24', 1)).toBe('2026-12-29');
  });
});
