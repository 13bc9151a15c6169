/**
 * Tabular export: any list or report as CSV (RFC 4180, UTF-8 BOM for Excel, CRLF, guarded against formula
 * injection) or as an Office Open XML workbook (.xlsx, one sheet per table, numbers as numbers, dates as real
 * Excel dates). Pure: no I/O. The XLSX container is our own small ZIP writer (`zip.ts`).
 */
import { zip } from './zip.ts';

export interface Column {
  key: string;
  header: string;
  type?: 'string' | 'number' | 'date' | 'datetime';
}
export type Cell = string | number | boolean | Date | null | undefined;
export interface Table {
  name: string;
  columns: Column[];
  rows: Array<Record<string, Cell>>;
}
export interface TabularOptions {
  /** IANA zone in which `datetime` (and `date`) values given as Date are shown; default UTC */
  timeZone?: string;
  /** XLSX only: show sheets right to left (Arabic, Persian) */
  rightToLeft?: boolean;
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/* ------------------------------------------------------------------ dates */

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(d: Date, timeZone: string | undefined): [number, number, number, number, number, number] {
  if (!timeZone || timeZone === 'UTC') {
    return [
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
    ];
  }
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(d)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return [p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!];
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function asDate(v: Cell): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** Days since 1899-12-30 (Excel's 1900 date system, valid from 1900-03-01) for a civil date-time. */
function excelSerial(y: number, m: number, d: number, hh = 0, mm = 0, ss = 0): number {
  return (Date.UTC(y, m - 1, d, hh, mm, ss) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

/* ------------------------------------------------------------------ CSV */

const FORMULA_START = /^[=+\-@\t\r]/;

function csvText(v: Cell, col: Column, opts: TabularOptions): { text: string; isText: boolean } {
  if (v === null || v === undefined) return { text: '', isText: false };
  if (typeof v === 'number') return { text: Number.isFinite(v) ? String(v) : '', isText: false };
  if (typeof v === 'boolean') return { text: v ? 'true' : 'false', isText: false };
  if (col.type === 'date' || col.type === 'datetime') {
    const d = asDate(v);
    if (d) {
      const [y, mo, da, h, mi, s] = wallClock(d, opts.timeZone);
      const date = `${pad(y, 4)}-${pad(mo)}-${pad(da)}`;
      if (col.type === 'date') return { text: date, isText: false };
      if (opts.timeZone) return { text: `${date} ${pad(h)}:${pad(mi)}:${pad(s)}`, isText: false };
      return { text: `${date}T${pad(h)}:${pad(mi)}:${pad(s)}Z`, isText: false };
    }
    if (typeof v === 'string' && DATE_RE.test(v)) return { text: v, isText: false };
  }
  if (v instanceof Date) return { text: Number.isNaN(v.getTime()) ? '' : v.toISOString(), isText: false };
  if (col.type === 'number' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v)) return { text: v, isText: false };
  return { text: v, isText: true };
}

/** One CSV field: formula guard for text, quoted when it holds a comma, quote, CR or LF (RFC 4180). */
export function csvField(v: Cell, col: Column = { key: '', header: '' }, opts: TabularOptions = {}): string {
  const cell = csvText(v, col, opts);
  let text = cell.text;
  if (cell.isText && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvRow(values: string[]): string {
  return values.join(',') + '\r\n';
}

/** CSV in chunks (header first, then about `rowsPerChunk` rows each), for streaming big lists. */
export function* csvChunks(table: Table, opts: TabularOptions = {}, rowsPerChunk = 1000): Generator<string> {
  const header = { key: '', header: '', type: 'string' as const };
  let chunk = '\uFEFF' + csvRow(table.columns.map((c) => csvField(c.header, header)));
  let n = 0;
  for (const row of table.rows) {
    chunk += csvRow(table.columns.map((c) => csvField(row[c.key], c, opts)));
    if (++n % rowsPerChunk === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** The whole table as CSV: UTF-8 BOM, CRLF line ends, a header row. */
export function toCsv(table: Table, opts: TabularOptions = {}): string {
  let out = '';
  for (const c of csvChunks(table, opts)) out += c;
  return out;
}

/* ------------------------------------------------------------------ XLSX */

const MAX_CELL = 32_767;

/** Escapes text for XML 1.0 and OOXML's ST_Xstring: markup characters as entities, characters XML forbids as _xHHHH_. */
export function xmlText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === '_' && /^_x[0-9a-fA-F]{4}_/.test(s.slice(i, i + 7))) out += '_x005F_';
    else if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
      code === 0xfffe ||
      code === 0xffff
    ) {
      out += `_x${code.toString(16).toUpperCase().padStart(4, '0')}_`;
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + s[i + 1]!;
        i++;
      } else out += '\uFFFD';
    } else if (code >= 0xdc00 && code <= 0xdfff) out += '\uFFFD';
    else out += ch;
  }
  return out;
}

/** A1-style column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let s = '';
  let n = index + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Excel's sheet-name rules: 1–31 characters, none of []:*?/\, no leading/trailing apostrophe, unique (case-insensitive). */
export function sheetNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((raw, i) => {
    let base = raw
      // eslint-disable-next-line no-control-regex -- control characters are what we remove
      .replace(/[[\]:*?/\\\u0000-\u001f]/g, ' ')
      .replace(/^'+|'+$/g, '')
      .trim();
    if (!base || base.toLowerCase() === 'history') base = `Sheet${i + 1}`;
    base = [...base].slice(0, 31).join('');
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) {
      const suffix = ` (${k})`;
      name = [...base].slice(0, 31 - suffix.length).join('') + suffix;
    }
    used.add(name.toLowerCase());
    return name;
  });
}

const STYLE = { normal: 0, header: 1, date: 2, datetime: 3 } as const;

class SharedStrings {
  readonly index = new Map<string, number>();
  readonly list: string[] = [];
  count = 0;
  id(s: string): number {
    this.count++;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

function xlsxCell(ref: string, v: Cell, col: Column, sst: SharedStrings, opts: TabularOptions): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'number') return Number.isFinite(v) ? `<c r="${ref}"><v>${v}</v></c>` : '';
  if (typeof v === 'boolean') return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
  if (col.type === 'date' || col.type === 'datetime') {
    let serial: number | null = null;
    const d = asDate(v);
    if (d) {
      const [y, mo, da, h, mi, s] = wallClock(d, opts.timeZone);
      serial = col.type === 'date' ? excelSerial(y, mo, da) : excelSerial(y, mo, da, h, mi, s);
    } else if (typeof v === 'string') {
      const m = DATE_RE.exec(v);
      if (m) serial = excelSerial(Number(m[1]), Number(m[2]), Number(m[3]));
    }
    if (serial !== null && serial >= 61) {
      const style = col.type === 'date' ? STYLE.date : STYLE.datetime;
      return `<c r="${ref}" s="${style}"><v>${Math.round(serial * 86_400) / 86_400}</v></c>`;
    }
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    v = v.toISOString();
  }
  if (col.type === 'number' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v))
    return `<c r="${ref}"><v>${Number(v)}</v></c>`;
  const text = v.length > MAX_CELL ? v.slice(0, MAX_CELL) : v;
  return `<c r="${ref}" t="s"><v>${sst.id(text)}</v></c>`;
}

function displayLength(v: Cell): number {
  if (v === null || v === undefined) return 0;
  if (v instanceof Date) return 16;
  return Math.min(60, String(v).length);
}

function sheetXml(table: Table, sst: SharedStrings, opts: TabularOptions): Buffer[] {
  const cols = table.columns;
  const letters = cols.map((_, i) => columnLetters(i));
  const widths = cols.map((c) => Math.max(8, displayLength(c.header) + 2));
  for (const row of table.rows.slice(0, 200)) {
    cols.forEach((c, i) => {
      const w = c.type === 'date' ? 11 : c.type === 'datetime' ? 17 : displayLength(row[c.key]) + 2;
      widths[i] = Math.max(widths[i]!, Math.min(62, w));
    });
  }
  const lastRef = `${columnLetters(Math.max(0, cols.length - 1))}${table.rows.length + 1}`;
  let head =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<dimension ref="A1:${lastRef}"/>` +
    `<sheetViews><sheetView workbookViewId="0"${opts.rightToLeft ? ' rightToLeft="1"' : ''}>` +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>';
  if (cols.length) {
    head += '<cols>';
    widths.forEach((w, i) => (head += `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`));
    head += '</cols>';
  }
  head += '<sheetData><row r="1">';
  cols.forEach((c, i) => {
    const text = c.header.length > MAX_CELL ? c.header.slice(0, MAX_CELL) : c.header;
    head += `<c r="${letters[i]}1" s="${STYLE.header}" t="s"><v>${sst.id(text)}</v></c>`;
  });
  head += '</row>';
  const chunks: Buffer[] = [Buffer.from(head, 'utf8')];
  let chunk = '';
  table.rows.forEach((row, r) => {
    const n = r + 2;
    chunk += `<row r="${n}">`;
    cols.forEach((c, i) => (chunk += xlsxCell(`${letters[i]}${n}`, row[c.key], c, sst, opts)));
    chunk += '</row>';
    if (chunk.length > 1 << 20) {
      chunks.push(Buffer.from(chunk, 'utf8'));
      chunk = '';
    }
  });
  chunk += '</sheetData>';
  if (cols.length && table.rows.length) chunk += `<autoFilter ref="A1:${lastRef}"/>`;
  chunk +=
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
  chunks.push(Buffer.from(chunk, 'utf8'));
  return chunks;
}

function sharedStringsXml(sst: SharedStrings): Buffer[] {
  const chunks: Buffer[] = [
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
        `count="${sst.count}" uniqueCount="${sst.list.length}">`,
      'utf8',
    ),
  ];
  let chunk = '';
  for (const s of sst.list) {
    const preserve = /^\s|\s$|\n/.test(s) ? ' xml:space="preserve"' : '';
    chunk += `<si><t${preserve}>${xmlText(s)}</t></si>`;
    if (chunk.length > 1 << 20) {
      chunks.push(Buffer.from(chunk, 'utf8'));
      chunk = '';
    }
  }
  chunks.push(Buffer.from(chunk + '</sst>', 'utf8'));
  return chunks;
}

const STYLES_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>' +
  '<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/** The tables as an .xlsx workbook (one sheet per table, header row bold and frozen, auto-filter). */
export function toXlsx(tables: Table[], opts: TabularOptions = {}): Uint8Array {
  const list = tables.length ? tables : [{ name: 'Sheet1', columns: [], rows: [] }];
  const names = sheetNames(list.map((t) => t.name));
  const sst = new SharedStrings();
  const sheets = list.map((t) => sheetXml(t, sst, opts));
  const xml = (s: string) =>
    Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + s, 'utf8');

  const contentTypes = xml(
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      names
        .map(
          (_, i) =>
            `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
        )
        .join('') +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
      '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
      '</Types>',
  );
  const rootRels = xml(
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
      '</Relationships>',
  );
  const app = xml(
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Redress</Application></Properties>',
  );
  const filterNames = list
    .map((t, i) =>
      t.columns.length && t.rows.length
        ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${xmlText(names[i]!.replaceAll("'", "''"))}'!$A$1:$${columnLetters(t.columns.length - 1)}$${t.rows.length + 1}</definedName>`
        : '',
    )
    .join('');
  const workbook = xml(
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<bookViews><workbookView/></bookViews><sheets>' +
      names.map((n, i) => `<sheet name="${xmlText(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
      '</sheets>' +
      (filterNames ? `<definedNames>${filterNames}</definedNames>` : '') +
      '</workbook>',
  );
  const workbookRels = xml(
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      names
        .map(
          (_, i) =>
            `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
        )
        .join('') +
      `<Relationship Id="rId${names.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
      `<Relationship Id="rId${names.length + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
      '</Relationships>',
  );
  return zip([
    { name: '[Content_Types].xml', data: contentTypes },
    { name: '_rels/.rels', data: rootRels },
    { name: 'docProps/app.xml', data: app },
    { name: 'xl/workbook.xml', data: workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: workbookRels },
    { name: 'xl/styles.xml', data: Buffer.from(STYLES_XML, 'utf8') },
    ...sheets.map((data, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data })),
    { name: 'xl/sharedStrings.xml', data: sharedStringsXml(sst) },
  ]);
}
