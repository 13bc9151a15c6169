/**
 * A CSV record reader for real, messy exports (pure, no I/O): RFC 4180 quoting with doubled quotes, newlines inside
 * quoted fields, CRLF, LF or CR line ends, blank lines (skipped, a trailing one included), and a stray quote inside an
 * unquoted field taken literally. It reads from any position of a text, so a caller can feed a large file chunk by
 * chunk: with `final: false` a record that may continue past the end of the text is left for the next chunk.
 *
 * Every record carries the number of its first physical line in the file (1-based), which is what a person looks for
 * in a spreadsheet or an editor when a row is rejected.
 */

export interface CsvRecord {
  /** The file's physical line on which the record starts (1-based). */
  line: number;
  fields: string[];
  /** The record's text as it was in the file (without its line end). */
  raw: string;
  /** Set when the record is malformed (e.g. an unterminated quoted field). */
  error?: string;
}

export interface ReadResult {
  records: CsvRecord[];
  /** Where the next call continues (an index into the text). */
  next: number;
  /** The physical line number at `next`. */
  nextLine: number;
  /** True when the text is exhausted (and it was final). */
  done: boolean;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Reads up to `max` records of `text` starting at index `from`, which is at the start of physical line `line`.
 * `final` says that the text ends where the file ends.
 */
export function readRecords(
  text: string,
  from: number,
  line: number,
  max: number,
  final: boolean,
  delimiter = ',',
): ReadResult {
  const records: CsvRecord[] = [];
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  let pos = from;
  let currentLine = line;

  while (records.length < max && pos < n) {
    // Blank lines between records (and at the end) are skipped, but counted.
    const c0 = text.charCodeAt(pos);
    if (c0 === LF || c0 === CR) {
      if (c0 === CR && pos + 1 >= n && !final) break; // a CR at the end of a chunk may be half of a CRLF
      pos += c0 === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      currentLine++;
      continue;
    }
    const start = pos;
    const startLine = currentLine;
    const fields: string[] = [];
    let lines = 0;
    let complete = false;
    let error: string | undefined;
    let end = n;
    // One field per iteration.
    for (;;) {
      if (pos < n && text.charCodeAt(pos) === QUOTE) {
        // Quoted field: up to the closing quote; "" is one quote; line ends inside are kept (as \n).
        pos++;
        let value = '';
        let segment = pos;
        let closed = false;
        while (pos < n) {
          const c = text.charCodeAt(pos);
          if (c === QUOTE) {
            if (text.charCodeAt(pos + 1) === QUOTE) {
              value += text.slice(segment, pos + 1);
              pos += 2;
              segment = pos;
              continue;
            }
            if (pos + 1 >= n && !final) break; // the next chunk could start with the second quote of a pair
            value += text.slice(segment, pos);
            pos++;
            closed = true;
            break;
          }
          if (c === CR || c === LF) {
            value += text.slice(segment, pos) + '\n';
            pos += c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
            if (c === CR && pos >= n && !final) break;
            lines++;
            segment = pos;
            continue;
          }
          pos++;
        }
        if (!closed) {
          if (!final) break; // incomplete: leave for the next chunk
          value += text.slice(segment, pos);
          error = 'unterminated quoted field';
        }
        // Anything between the closing quote and the delimiter is kept literally ("abc"def → abcdef).
        const rest = pos;
        while (pos < n) {
          const c = text.charCodeAt(pos);
          if (c === delim || c === CR || c === LF) break;
          pos++;
        }
        fields.push(rest < pos ? value + text.slice(rest, pos) : value);
      } else {
        const s = pos;
        while (pos < n) {
          const c = text.charCodeAt(pos);
          if (c === delim || c === CR || c === LF) break;
          pos++;
        }
        fields.push(text.slice(s, pos));
      }
      if (pos >= n) {
        if (final) {
          end = n;
          complete = true;
        }
        break;
      }
      const c = text.charCodeAt(pos);
      if (c === delim) {
        pos++;
        continue;
      }
      // End of the record.
      end = pos;
      if (c === CR && pos + 1 >= n && !final) break;
      pos += c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      lines++;
      complete = true;
      break;
    }
    if (!complete) {
      pos = start;
      break;
    }
    const record: CsvRecord = { line: startLine, fields, raw: text.slice(start, end) };
    if (error) record.error = error;
    records.push(record);
    currentLine = startLine + lines;
  }
  return { records, next: pos, nextLine: currentLine, done: final && pos >= n };
}

/** All the records of a whole text (small files and tests). */
export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  return readRecords(text, 0, 1, Number.MAX_SAFE_INTEGER, true, delimiter).records;
}

/** One CSV line (RFC 4180 quoting where needed), for reports. */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return values
    .map((v) => {
      const s = v === null || v === undefined ? '' : String(v);
      return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(',');
}
