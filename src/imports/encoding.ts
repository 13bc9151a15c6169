/**
 * Character encoding of an uploaded file (pure, no I/O).
 *
 * 1. A byte-order mark decides: UTF-8 (EF BB BF), UTF-16LE (FF FE), UTF-16BE (FE FF).
 * 2. UTF-16 without a mark: many NUL bytes on one side of the byte pairs (ASCII text in UTF-16).
 * 3. Valid UTF-8 is UTF-8 (a legacy 8-bit text with accents is almost never valid UTF-8 by accident).
 * 4. Otherwise a statistical guess between the legacy encodings seen in complaint exports:
 *    - words made only of bytes ≥ 0x80 are the sign of a non-Latin script: GB18030 when the bytes pair up into
 *      GB2312 characters with no invalid sequence, else Windows-1256 (Arabic);
 *    - accents inside mostly-ASCII words are a Latin script: Windows-1250 (Central European) when it reads more of
 *      those words as letters only than Windows-1252 does (ł ś ż ą … are symbols in 1252), else Windows-1252.
 */
import iconv from 'iconv-lite';

export type Encoding =
  'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252' | 'windows-1250' | 'windows-1256';
export const encodings: readonly Encoding[] = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'gb18030',
  'windows-1252',
  'windows-1250',
  'windows-1256',
];

export interface Detected {
  encoding: Encoding;
  /** Length of the byte-order mark to skip. */
  bomLength: number;
}

const SAMPLE_BYTES = 256 * 1024;

function isValidUtf8(bytes: Uint8Array): boolean {
  // A sample cut in the middle of a character is still valid: drop up to 3 trailing continuation/lead bytes.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function looksUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.3 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.3 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

interface ByteStats {
  /** Words (runs of bytes other than ASCII space/punctuation) with at least one byte ≥ 0x80. */
  highWords: number;
  /** …of which every byte is ≥ 0x80. */
  pureHighWords: number;
}

const isWordByte = (b: number) =>
  b >= 0x80 || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

function byteStats(bytes: Uint8Array): ByteStats {
  let highWords = 0;
  let pureHighWords = 0;
  let inWord = false;
  let high = 0;
  let low = 0;
  const end = () => {
    if (high > 0) {
      highWords++;
      if (low === 0) pureHighWords++;
    }
    inWord = false;
    high = 0;
    low = 0;
  };
  for (const b of bytes) {
    if (isWordByte(b)) {
      inWord = true;
      if (b >= 0x80) high++;
      else low++;
    } else if (inWord) end();
  }
  end();
  return { highWords, pureHighWords };
}

/** GB18030: every high byte starts a valid multi-byte character and most of them are GB2312 (common) characters. */
function looksGb(bytes: Uint8Array): boolean {
  let pairs = 0;
  let gb2312 = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    const t = bytes[i + 1];
    if (t === undefined) break;
    if (b >= 0x81 && b <= 0xfe && t >= 0x30 && t <= 0x39) {
      // four-byte sequence
      const t2 = bytes[i + 2];
      const t3 = bytes[i + 3];
      if (t2 === undefined || t3 === undefined) break;
      if (t2 >= 0x81 && t2 <= 0xfe && t3 >= 0x30 && t3 <= 0x39) {
        pairs++;
        i += 3;
      } else invalid++;
      continue;
    }
    if (b >= 0x81 && b <= 0xfe && t >= 0x40 && t <= 0xfe && t !== 0x7f) {
      pairs++;
      if (b >= 0xa1 && b <= 0xf7 && t >= 0xa1) gb2312++;
      i++;
    } else invalid++;
  }
  return pairs > 0 && invalid <= pairs * 0.01 && gb2312 >= pairs * 0.8;
}

/** Words with a non-ASCII character that read as letters of one script only (higher is more plausible). */
function letterScore(sample: Uint8Array, encoding: Encoding): number {
  const text = iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), encoding);
  let score = 0;
  for (const word of text.split(/[\s,;:.!?"'()[\]{}<>/\\|@#%&*+=_-]+/u)) {
    if (!/[^\u0001-\u007f]/u.test(word)) continue; // eslint-disable-line no-control-regex -- ASCII only
    const lettersOnly = /^[\p{L}\p{M}\d]+$/u.test(word);
    const scripts = new Set(
      [...word]
        .filter((c) => /\p{L}/u.test(c))
        .map((c) =>
          /\p{Script=Latin}/u.test(c) ? 'Latin' : /\p{Script=Arabic}/u.test(c) ? 'Arabic' : 'Other',
        ),
    );
    score += lettersOnly && scripts.size === 1 ? 1 : -1;
    if (word.includes('\ufffd')) score -= 1;
  }
  return score;
}

/** Detects the encoding of a file from its first bytes (and its UTF-8 validity). */
export function detectEncoding(bytes: Uint8Array): Detected {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  const utf16 = looksUtf16(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  if (isValidUtf8(bytes.length <= SAMPLE_BYTES * 4 ? bytes : sample))
    return { encoding: 'utf-8', bomLength: 0 };
  const stats = byteStats(sample);
  if (stats.highWords > 0 && stats.pureHighWords >= stats.highWords * 0.5) {
    return { encoding: looksGb(sample) ? 'gb18030' : 'windows-1256', bomLength: 0 };
  }
  return {
    encoding:
      letterScore(sample, 'windows-1250') > letterScore(sample, 'windows-1252')
        ? 'windows-1250'
        : 'windows-1252',
    bomLength: 0,
  };
}

/** Decodes a whole file (after its byte-order mark) to a string. */
export function decodeBytes(bytes: Uint8Array, detected: Detected = detectEncoding(bytes)): string {
  const body = bytes.subarray(detected.bomLength);
  if (detected.encoding === 'utf-8') return new TextDecoder('utf-8').decode(body);
  return iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), detected.encoding);
}

/** Encodes text (the synthetic generator and tests write files in each encoding). */
export function encodeText(
  text: string,
  encoding: Encoding,
  bom = encoding.startsWith('utf-16'),
): Uint8Array {
  const body = encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
  if (!bom) return new Uint8Array(body);
  const mark =
    encoding === 'utf-8'
      ? [0xef, 0xbb, 0xbf]
      : encoding === 'utf-16le'
        ? [0xff, 0xfe]
        : encoding === 'utf-16be'
          ? [0xfe, 0xff]
          : [];
  return new Uint8Array(Buffer.concat([Buffer.from(mark), body]));
}
