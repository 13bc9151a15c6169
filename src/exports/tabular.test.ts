import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { columnLetters, csvField, sheetNames, toCsv, toXlsx, xmlText, type Table } from './tabular.ts';
import { crc32 } from './zip.ts';

/** RFC 4180 parser (the reading side, for the tests). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      field += ch;
      i++;
    }
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A minimal ZIP reader (central directory → local entries), checking every CRC-32. */
function unzipAll(bytes: Uint8Array): Map<string, string> {
  const buf = Buffer.from(bytes);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(0);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, string>();
  for (let k = 0; k < count; k++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const lname = buf.readUInt16LE(local + 26);
    const lextra = buf.readUInt16LE(local + 28);
    const start = local + 30 + lname + lextra;
    const raw = buf.subarray(start, start + csize);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(crc32(data)).toBe(crc);
    out.set(name, data.toString('utf8'));
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

function cells(sheet: string): Array<{ ref: string; t?: string; s?: string; v: string }> {
  return [...sheet.matchAll(/<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")*)>(?:<v>([^<]*)<\/v>)?<\/c>/g)].map(
    (m) => {
      const attrs = Object.fromEntries([...m[2]!.matchAll(/ ([a-z]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
      return { ref: m[1]!, t: attrs.t, s: attrs.s, v: m[3] ?? '' };
    },
  );
}

function sharedStrings(xml: string): string[] {
  return [...xml.matchAll(/<si><t(?: xml:space="preserve")?>([\s\S]*?)<\/t><\/si>/g)].map((m) =>
    m[1]!
      .replace(/_x([0-9A-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&'),
  );
}

const sample: Table = {
  name: 'Complaints',
  columns: [
    { key: 'ref', header: 'Reference' },
    { key: 'n', header: 'Count', type: 'number' },
    { key: 'received', header: 'Received', type: 'datetime' },
    { key: 'due', header: 'Due', type: 'date' },
    { key: 'text', header: 'Text' },
    { key: 'flag', header: 'Breached' },
  ],
  rows: [
    {
      ref: 'RC-ABC',
      n: 3,
      received: new Date('2026-03-05T14:30:00Z'),
      due: '2026-03-20',
      text: 'a, "b"\r\nc',
      flag: true,
    },
    { ref: '=HYPERLINK("x")', n: -2.5, received: null, due: undefined, text: 'شكوى 投诉', flag: false },
    {
      ref: '+1',
      n: null,
      received: '2026-01-01T00:00:00Z',
      due: new Date('2026-02-28T23:00:00Z'),
      text: '@x',
    },
  ],
};

describe('CSV', () => {
  it('writes a BOM, CRLF, a header row, quoted fields, and parses back', () => {
    const csv = toCsv(sample);
    expect(csv.startsWith('\uFEFFReference,Count,Received,Due,Text,Breached\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows).toEqual([
      ['Reference', 'Count', 'Received', 'Due', 'Text', 'Breached'],
      ['RC-ABC', '3', '2026-03-05T14:30:00Z', '2026-03-20', 'a, "b"\r\nc', 'true'],
      ['\'=HYPERLINK("x")', '-2.5', '', '', 'شكوى 投诉', 'false'],
      ["'+1", '', '2026-01-01T00:00:00Z', '2026-02-28', "'@x", ''],
    ]);
  });

  it('shows datetimes in the given time zone', () => {
    const csv = toCsv(sample, { timeZone: 'Europe/London' });
    expect(parseCsv(csv.slice(1))[1]![2]).toBe('2026-03-05 14:30:00');
    const sydney = toCsv(sample, { timeZone: 'Australia/Sydney' });
    expect(parseCsv(sydney.slice(1))[1]![2]).toBe('2026-03-06 01:30:00');
    expect(parseCsv(sydney.slice(1))[3]![3]).toBe('2026-03-01');
  });

  it('guards every formula start in text, never numbers', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(csvField(s).replace(/^"/, '')[0]).toBe("'");
    expect(csvField(-1)).toBe('-1');
    expect(csvField('-1', { key: 'k', header: 'h', type: 'number' })).toBe('-1');
    expect(csvField('ok')).toBe('ok');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('round-trips arbitrary text (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 2, maxLength: 2 })),
        (data) => {
          const table: Table = {
            name: 't',
            columns: [
              { key: 'a', header: 'A' },
              { key: 'b', header: 'B' },
            ],
            rows: data.map(([a, b]) => ({ a, b })),
          };
          const parsed = parseCsv(toCsv(table).slice(1)).slice(1);
          const unguard = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
          // an all-empty last row is indistinguishable from no row in CSV; compare the non-trivial ones
          expect(parsed.length).toBe(data.length);
          parsed.forEach((row, i) => {
            expect(row.map(unguard)).toEqual(data[i]);
          });
        },
      ),
    );
  });
});

describe('XLSX', () => {
  it('is a valid zip with the workbook parts, typed cells and escaped strings', () => {
    const second: Table = {
      name: 'Sheet/with:bad*chars?',
      columns: [{ key: 'x', header: 'X' }],
      rows: [{ x: 'y' }],
    };
    const parts = unzipAll(toXlsx([sample, second]));
    expect([...parts.keys()]).toEqual(
      expect.arrayContaining([
        '[Content_Types].xml',
        '_rels/.rels',
        'xl/workbook.xml',
        'xl/_rels/workbook.xml.rels',
        'xl/styles.xml',
        'xl/sharedStrings.xml',
        'xl/worksheets/sheet1.xml',
        'xl/worksheets/sheet2.xml',
      ]),
    );
    const wb = parts.get('xl/workbook.xml')!;
    expect(wb).toContain('<sheet name="Complaints" sheetId="1" r:id="rId1"/>');
    expect(wb).toContain('<sheet name="Sheet with bad chars" sheetId="2"');
    const sst = sharedStrings(parts.get('xl/sharedStrings.xml')!);
    const sheet = parts.get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toContain('state="frozen"');
    const c = Object.fromEntries(cells(sheet).map((x) => [x.ref, x]));
    const str = (ref: string) => {
      expect(c[ref]!.t).toBe('s');
      return sst[Number(c[ref]!.v)];
    };
    expect(str('A1')).toBe('Reference');
    expect(c.A1!.s).toBe('1'); // bold header
    expect(str('A2')).toBe('RC-ABC');
    expect(c.B2).toMatchObject({ t: undefined, v: '3' });
    expect(c.B3).toMatchObject({ t: undefined, v: '-2.5' });
    // 2026-03-05 14:30 UTC: 46086 + 14.5/24
    expect(Number(c.C2!.v)).toBeCloseTo(46086 + 14.5 / 24, 6);
    expect(c.C2!.s).toBe('3');
    expect(c.D2).toMatchObject({ s: '2', v: '46101' }); // 2026-03-20
    expect(str('E2')).toBe('a, "b"\r\nc');
    expect(c.F2).toMatchObject({ t: 'b', v: '1' });
    expect(str('A3')).toBe('=HYPERLINK("x")'); // a string cell is never a formula in XLSX
    expect(str('E3')).toBe('شكوى 投诉');
    expect(c.C3).toBeUndefined(); // null → no cell
    expect(c.B4).toBeUndefined();
    expect(c.C4).toMatchObject({ s: '3', v: '46023' });
  });

  it('escapes markup and control characters and keeps surrogate pairs', () => {
    expect(xmlText('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
    expect(xmlText('x\u0001y\u001fz\tq\n')).toBe('x_x0001_y_x001F_z\tq\n');
    expect(xmlText('_x0041_')).toBe('_x005F_x0041_');
    expect(xmlText('😀\ud800')).toBe('😀\uFFFD');
    const parts = unzipAll(
      toXlsx([{ name: 'T', columns: [{ key: 'a', header: 'A' }], rows: [{ a: 'bell\u0007<&>"' }] }]),
    );
    expect(sharedStrings(parts.get('xl/sharedStrings.xml')!)).toContain('bell\u0007<&>"');
  });

  it('names sheets the way Excel accepts', () => {
    expect(sheetNames(['a'.repeat(40), 'A'.repeat(40), '', "'q'", 'History'])).toEqual([
      'a'.repeat(31),
      'A'.repeat(27) + ' (2)',
      'Sheet3',
      'q',
      'Sheet5',
    ]);
    expect(columnLetters(0)).toBe('A');
    expect(columnLetters(25)).toBe('Z');
    expect(columnLetters(26)).toBe('AA');
    expect(columnLetters(701)).toBe('ZZ');
    expect(columnLetters(702)).toBe('AAA');
  });

  it.runIf(existsSync('/usr/bin/unzip'))('passes unzip -t and unzip -p reads the sheet', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-'));
    try {
      const file = join(dir, 'a.xlsx');
      writeFileSync(file, toXlsx([sample]));
      expect(execFileSync('unzip', ['-t', file]).toString()).toContain('No errors detected');
      expect(execFileSync('unzip', ['-p', file, 'xl/sharedStrings.xml']).toString()).toContain('شكوى 投诉');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('handles 100 000 rows in reasonable time and memory', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({
      ref: `RC-${i}`,
      n: i,
      received: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
      due: '2026-03-20',
      text: i % 2 ? 'upheld' : 'not upheld',
      flag: i % 3 === 0,
    }));
    const table = { ...sample, rows };
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const xlsx = toXlsx([table], { timeZone: 'Europe/London' });
    const t1 = performance.now();
    const csv = toCsv(table);
    const t2 = performance.now();
    const grown = (process.memoryUsage().rss - before) / 2 ** 20;
    console.log(
      `100k rows: xlsx ${(xlsx.length / 2 ** 20).toFixed(1)} MiB in ${Math.round(t1 - t0)} ms; csv ${(csv.length / 2 ** 20).toFixed(1)} MiB in ${Math.round(t2 - t1)} ms; rss +${grown.toFixed(0)} MiB`,
    );
    expect(t1 - t0).toBeLessThan(20_000);
    expect(grown).toBeLessThan(800);
    const parts = unzipAll(xlsx);
    expect(parts.get('xl/worksheets/sheet1.xml')).toContain('<row r="100001">');
  });
});
