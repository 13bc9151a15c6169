import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvLine, parseCsv, readRecords } from './csv.ts';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe('readRecords', () => {
  it('reads plain rows with LF, CRLF and lone CR line ends', () => {
    expect(fields('a,b\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\r1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(fields('a,,c,\n')).toEqual([['a', '', 'c', '']]);
    expect(fields(',\n')).toEqual([['', '']]);
  });

  it('reads quoted fields with commas, doubled quotes and embedded newlines', () => {
    const rows = parseCsv('id,text\n1,"Hello, ""world""\r\nsecond line\n\nfourth"\n2,x\n');
    expect(rows.map((r) => r.fields)).toEqual([
      ['id', 'text'],
      ['1', 'Hello, "world"\nsecond line\n\nfourth'],
      ['2', 'x'],
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 6]);
  });

  it('skips blank lines (a trailing one too) but counts them for line numbers', () => {
    const rows = parseCsv('a\n\n\nb\r\n\r\nc\n\n');
    expect(rows.map((r) => [r.fields[0], r.line])).toEqual([
      ['a', 1],
      ['b', 4],
      ['c', 6],
    ]);
  });

  it('takes a stray quote inside an unquoted field literally, and text after a closing quote too', () => {
    expect(fields('5" screen,"abc"def\n')).toEqual([['5" screen', 'abcdef']]);
  });

  it('reports an unterminated quoted field', () => {
    const rows = parseCsv('a,b\n1,"never closed\n2,3\n');
    expect(rows[1]).toMatchObject({ line: 2, error: 'unterminated quoted field' });
    expect(rows).toHaveLength(2);
  });

  it('keeps the raw text of each record', () => {
    const rows = parseCsv('x,"a\nb"\r\ny,z');
    expect(rows.map((r) => r.raw)).toEqual(['x,"a\nb"', 'y,z']);
  });

  it('stops at max records and resumes where it stopped', () => {
    const text = 'a\nb\n"c\nc"\nd\n';
    const first = readRecords(text, 0, 1, 2, true);
    expect(first.records.map((r) => r.fields[0])).toEqual(['a', 'b']);
    const second = readRecords(text, first.next, first.nextLine, 10, true);
    expect(second.records.map((r) => [r.fields[0], r.line])).toEqual([
      ['c\nc', 3],
      ['d', 5],
    ]);
    expect(second.done).toBe(true);
  });

  it('leaves a record that may continue in the next chunk when the text is not final', () => {
    expect(readRecords('a,b\n1,"open', 0, 1, 10, false).records.map((r) => r.fields)).toEqual([['a', 'b']]);
    expect(readRecords('a,b\n1,2', 0, 1, 10, false).records).toHaveLength(1); // "1,2" may go on
    expect(readRecords('a,b\r', 0, 1, 10, false).records).toHaveLength(0); // CR may be half a CRLF
    expect(readRecords('a,"x"', 0, 1, 10, false).records).toHaveLength(0); // the quote may be doubled
  });

  it('reads any text the same whole or cut into chunks at every position (property)', () => {
    const field = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é') }),
      fc.constantFrom('', 'x'),
    );
    const row = fc.array(field, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        fc.nat(),
        (rows, eol, cutAt) => {
          const text = rows.map((r) => csvLine(r)).join(eol) + eol;
          const whole = parseCsv(text);
          // Chunked: feed the text up to `cut` as non-final, then the rest.
          const cut = cutAt % (text.length + 1);
          const a = readRecords(text.slice(0, cut), 0, 1, 1000, false);
          const b = readRecords(text, a.next, a.nextLine, 1000, true);
          const chunked = [...a.records, ...b.records];
          expect(chunked.map((r) => [r.line, r.fields])).toEqual(whole.map((r) => [r.line, r.fields]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips what csvLine writes (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', 'z', '1') });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const text = rows.map((r) => csvLine(r)).join('\r\n');
          const normalised = rows.map((r) => r.map((f) => f));
          expect(parseCsv(text).map((r) => r.fields)).toEqual(normalised);
        },
      ),
      { numRuns: 200 },
    );
  });
});
