/**
 * First look at an uploaded file (pure): its encoding, whether it is CSV at all, and where the preset's header row is
 * (exports often start with a title, a date or a disclaimer before the header). The result says where the data
 * starts, so the import can read it chunk by chunk.
 */
import { readRecords } from './csv.ts';
import { decodeBytes, detectEncoding, type Encoding } from './encoding.ts';
import { matchHeader, requiredHeaders, type PresetMapping } from './presets.ts';

export type ImportFileProblem = 'empty_file' | 'not_csv' | 'header_not_found';

export class ImportFileError extends Error {
  constructor(
    readonly code: ImportFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export interface HeaderInfo {
  /** The header row's physical line (1-based). */
  line: number;
  fields: string[];
  /** Index into the decoded text, and the physical line, where the first data row starts. */
  dataOffset: number;
  dataLine: number;
}

export interface AnalysedFile {
  encoding: Encoding;
  /** The whole file as text (without its byte-order mark). */
  text: string;
  header: HeaderInfo;
  /** Records after the header (blank lines not counted). */
  total: number;
}

/** How far down the file the header row may be. */
const MAX_PREAMBLE_RECORDS = 50;

const BINARY_SIGNATURES: ReadonlyArray<readonly number[]> = [
  [0x50, 0x4b, 0x03, 0x04], // zip, xlsx, docx
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0xd0, 0xcf, 0x11, 0xe0], // old Office (xls)
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x1f, 0x8b], // gzip
];

function looksBinary(bytes: Uint8Array, text: string): boolean {
  if (BINARY_SIGNATURES.some((sig) => sig.every((b, i) => bytes[i] === b))) return true;
  const sample = text.slice(0, 64 * 1024);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  return control > sample.length * 0.01;
}

export function analyseFile(
  bytes: Uint8Array,
  mapping: PresetMapping,
  options: { countRows?: boolean } = {},
): AnalysedFile {
  if (bytes.length === 0) throw new ImportFileError('empty_file', 'The file is empty');
  const detected = detectEncoding(bytes);
  const text = decodeBytes(bytes, detected);
  if (text.trim() === '') throw new ImportFileError('empty_file', 'The file is empty');
  if (looksBinary(bytes, text)) throw new ImportFileError('not_csv', 'The file is not a CSV text file');

  let pos = 0;
  let line = 1;
  let widest = 0;
  let header: HeaderInfo | null = null;
  for (let i = 0; i < MAX_PREAMBLE_RECORDS && !header; i++) {
    const r = readRecords(text, pos, line, 1, true);
    const record = r.records[0];
    if (!record) break;
    widest = Math.max(widest, record.fields.length);
    if (matchHeader(record.fields, mapping)) {
      header = {
        line: record.line,
        fields: record.fields.map((f) => f.replace(/^\ufeff/, '').trim()),
        dataOffset: r.next,
        dataLine: r.nextLine,
      };
    }
    pos = r.next;
    line = r.nextLine;
  }
  if (!header) {
    if (widest < 2) throw new ImportFileError('not_csv', 'The file has no comma-separated columns');
    const expected = requiredHeaders(mapping);
    throw new ImportFileError(
      'header_not_found',
      `No header row with the preset's columns was found in the first ${MAX_PREAMBLE_RECORDS} rows (expected: ${expected.join(', ')})`,
    );
  }
  let total = 0;
  if (options.countRows !== false) {
    let p = header.dataOffset;
    let l = header.dataLine;
    for (;;) {
      const r = readRecords(text, p, l, 10_000, true);
      total += r.records.length;
      if (r.done || r.records.length === 0) break;
      p = r.next;
      l = r.nextLine;
    }
  }
  return { encoding: detected.encoding, text, header, total };
}
