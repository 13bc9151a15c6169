/**
 * Attachment checks (SPEC INT-6): the content type is sniffed from the bytes — the type and the file
 * name extension declared by the client are never trusted — filenames are sanitised and every
 * accepted attachment gets a SHA-256 hash.
 *
 * Beyond the type allow-list, two things are always refused whatever the policy says: executables
 * (PE/MZ, ELF, Mach-O, Java class, WebAssembly, `#!` scripts) and Office documents carrying macros
 * (OOXML `vbaProject.bin`, OLE `Macros`/`_VBA_PROJECT*` storages, ODF `Basic/`/`Scripts/`).
 * Serve stored attachments with the sniffed type, `X-Content-Type-Options: nosniff` and
 * `Content-Disposition: attachment` — HTML/SVG/XML content is sniffed as `text/plain` on purpose.
 */
import { createHash } from 'node:crypto';

export type SniffedType = { mime: string; ext: string };
export type AttachmentPolicy = { maxBytes: number; allowedTypes: string[] };
export type AttachmentCheck =
  | { ok: true; mime: string; filename: string; size: number; sha256: string }
  | { ok: false; code: 'too_large' | 'type_not_allowed' | 'empty'; message: string };

type Inspection = SniffedType & { executable?: true; macros?: true };

const t = (mime: string, ext: string): Inspection => ({ mime, ext });
const exe = (mime: string, ext: string): Inspection => ({ mime, ext, executable: true });
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const ODF = 'application/vnd.oasis.opendocument.';

/** Bytes as Latin-1 characters (at most 1 KiB, which is plenty for signatures and entry names). */
const ascii = (b: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...b.subarray(from, Math.min(to, b.length, from + 1024)));
const startsWith = (b: Uint8Array, sig: readonly number[], at = 0): boolean =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

// ---- ZIP (OOXML / ODF) -------------------------------------------------------------------------

/** Entry names from the central directory, or — for a truncated archive — from the local headers. */
function zipEntryNames(b: Uint8Array): string[] {
  const dv = view(b);
  const names: string[] = [];
  for (let eocd = b.length - 22; eocd >= Math.max(0, b.length - 22 - 0xffff); eocd--) {
    if (dv.getUint32(eocd, true) !== 0x06054b50) continue;
    let p = dv.getUint32(eocd + 16, true);
    for (let n = dv.getUint16(eocd + 10, true); n > 0 && p + 46 <= b.length; n--) {
      if (dv.getUint32(p, true) !== 0x02014b50) break;
      const nameLength = dv.getUint16(p + 28, true);
      names.push(ascii(b, p + 46, p + 46 + nameLength));
      p += 46 + nameLength + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
    }
    if (names.length > 0) return names;
  }
  for (let p = 0; p + 30 <= b.length && names.length < 10_000;) {
    if (dv.getUint32(p, true) !== 0x04034b50) break;
    const nameLength = dv.getUint16(p + 26, true);
    names.push(ascii(b, p + 30, p + 30 + nameLength));
    const size = dv.getUint32(p + 18, true);
    if (dv.getUint16(p + 6, true) & 0b1000 && size === 0) break; // sizes follow the data: cannot skip
    p += 30 + nameLength + dv.getUint16(p + 28, true) + size;
  }
  return names;
}

const MACRO = 'application/vnd.ms-';
const OOXML: ReadonlyArray<[string, Inspection, Inspection]> = [
  ['word/', t(DOCX, 'docx'), t(`${MACRO}word.document.macroEnabled.12`, 'docm')],
  ['xl/', t(XLSX, 'xlsx'), t(`${MACRO}excel.sheet.macroEnabled.12`, 'xlsm')],
  ['ppt/', t(PPTX, 'pptx'), t(`${MACRO}powerpoint.presentation.macroEnabled.12`, 'pptm')],
];
const ODF_KINDS = Object.entries({ text: 'odt', spreadsheet: 'ods', presentation: 'odp' });

function sniffZip(b: Uint8Array): Inspection {
  const names = zipEntryNames(b);
  // ODF: the first entry is an uncompressed file named "mimetype" holding the media type.
  if (ascii(b, 30, 38) === 'mimetype') {
    const from = 38 + view(b).getUint16(28, true);
    const declared = ascii(b, from, from + 80);
    const kind = ODF_KINDS.find(([k]) => declared.startsWith(ODF + k));
    const macros = names.some((n) => /^(Basic|Scripts)\//.test(n));
    if (kind) return { ...t(ODF + kind[0], kind[1]), ...(macros && { macros }) };
  }
  if (names.includes('[Content_Types].xml')) {
    const macros = names.some((n) => n.endsWith('vbaProject.bin'));
    for (const [dir, plain, withMacros] of OOXML) {
      if (names.some((n) => n.startsWith(dir))) return macros ? { ...withMacros, macros } : plain;
    }
  }
  return t('application/zip', 'zip');
}

// ---- OLE compound file (legacy Office, Outlook .msg) ---------------------------------------------

/** Names in the compound file's directory, following the directory's FAT chain. */
function oleEntryNames(b: Uint8Array): string[] {
  const dv = view(b);
  const names: string[] = [];
  if (b.length < 512) return names;
  const sectorSize = 1 << dv.getUint16(30, true);
  if (sectorSize !== 512 && sectorSize !== 4096) return names;
  const perSector = sectorSize / 4;
  // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  const fat: number[] = [];
  const collect = (at: number, count: number) => {
    for (let i = 0; i < count && at + 4 * i + 4 <= b.length; i++) {
      const s = dv.getUint32(at + 4 * i, true);
      if (s < 0xfffffffa) fat.push(s);
    }
  };
  collect(76, 109);
  for (let d = dv.getUint32(68, true), n = 0; d < 0xfffffffa && n < 1000; n++) {
    const at = (d + 1) * sectorSize;
    if (at + sectorSize > b.length) break;
    collect(at, perSector - 1);
    d = dv.getUint32(at + sectorSize - 4, true);
  }
  const next = (s: number): number => {
    const fatSector = fat[Math.floor(s / perSector)];
    const at = fatSector === undefined ? -1 : (fatSector + 1) * sectorSize + (s % perSector) * 4;
    return at >= 0 && at + 4 <= b.length ? dv.getUint32(at, true) : 0xfffffffe;
  };
  const seen = new Set<number>();
  for (let s = dv.getUint32(48, true); s < 0xfffffffa && !seen.has(s); s = next(s)) {
    seen.add(s);
    const start = (s + 1) * sectorSize;
    for (let e = start; e + 128 <= Math.min(b.length, start + sectorSize); e += 128) {
      const nameBytes = Math.min(64, dv.getUint16(e + 64, true));
      if (b[e + 66] === 0 || nameBytes < 2) continue; // unused entry
      names.push(new TextDecoder('utf-16le').decode(b.subarray(e, e + nameBytes - 2)));
    }
  }
  return names;
}

const OLE_KINDS: ReadonlyArray<[RegExp, Inspection]> = [
  [/^WordDocument$/, t('application/msword', 'doc')],
  [/^(Workbook|Book)$/, t('application/vnd.ms-excel', 'xls')],
  [/^PowerPoint Document$/, t('application/vnd.ms-powerpoint', 'ppt')],
  [/^__substg1\.0_/, t('application/vnd.ms-outlook', 'msg')],
];

function sniffOle(b: Uint8Array): Inspection {
  const names = oleEntryNames(b);
  const macros = names.some((n) => n === 'Macros' || n.startsWith('_VBA_PROJECT'));
  const kind = OLE_KINDS.find(([re]) => names.some((n) => re.test(n)))?.[1];
  // Unrecognised: e.g. a password-protected OOXML file ("EncryptionInfo", "EncryptedPackage").
  if (!kind) return t('application/x-ole-storage', 'bin');
  return macros ? { ...kind, macros } : kind;
}

// ---- Media and text ---------------------------------------------------------------------------------

const FTYP_BRANDS: ReadonlyArray<[RegExp, Inspection]> = [
  [/^(heic|heix|heim|heis|hevc|hevx)$/, t('image/heic', 'heic')],
  [/^(mif1|msf1)$/, t('image/heif', 'heif')],
  [/^(avif|avis)$/, t('image/avif', 'avif')],
  [/^(M4A |M4B )$/, t('audio/mp4', 'm4a')],
  [/^qt {2}$/, t('video/quicktime', 'mov')],
  [/^3g/, t('video/3gpp', '3gp')],
  [/^(isom|iso\d|mp41|mp42|avc1|M4V |dash|mmp4)$/, t('video/mp4', 'mp4')],
];

/** An MPEG audio frame header: sync bits, no reserved version/layer/bitrate/sample-rate values. */
function isMpegAudioFrame(b: Uint8Array): boolean {
  const [b1, b2] = [b[1] ?? 0, b[2] ?? 0];
  const sync = b[0] === 0xff && (b1 & 0xe0) === 0xe0;
  return sync && (b1 & 0x18) !== 0x08 && (b1 & 0x06) !== 0 && (b2 & 0xf0) !== 0xf0 && (b2 & 0x0c) !== 0x0c;
}

function decodesAsText(b: Uint8Array, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): boolean {
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(b);
    // No NUL and no C0 controls other than TAB LF VT FF CR and SUB (the old DOS end-of-file mark).
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    return !/[\0-\x08\x0e-\x19\x1b-\x1f\x7f]/.test(text);
  } catch {
    return false;
  }
}

function inspect(b: Uint8Array): Inspection | null {
  if (b.length === 0) return null;
  const head = ascii(b, 0, 16);
  // Executables first, so that nothing below can classify them as something harmless.
  // A PE/DOS header always contains NUL bytes, so text that merely begins with "MZ" stays text.
  if (head.startsWith('MZ') && !decodesAsText(b, 'utf-8'))
    return exe('application/vnd.microsoft.portable-executable', 'exe');
  if (head.startsWith('\x7fELF')) return exe('application/x-executable', 'elf');
  if (/^(\xfe\xed\xfa[\xce\xcf]|[\xce\xcf]\xfa\xed\xfe|\xca\xfe\xba\xbe)/.test(head))
    return exe('application/x-mach-binary', 'bin');
  if (head.startsWith('\0asm')) return exe('application/wasm', 'wasm');
  if (head.startsWith('#!AMR')) return t('audio/amr', 'amr');
  if (/^(\xef\xbb\xbf)?#!/.test(head)) return exe('text/x-shellscript', 'sh');

  if (head.startsWith('%PDF-')) return t('application/pdf', 'pdf');
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return t('image/png', 'png');
  if (startsWith(b, [0xff, 0xd8, 0xff])) return t('image/jpeg', 'jpg');
  if (/^GIF8[79]a/.test(head)) return t('image/gif', 'gif');
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return t('image/webp', 'webp');
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WAVE') return t('audio/wav', 'wav');
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return t('image/tiff', 'tif');
  if (['PK\x03\x04', 'PK\x05\x06', 'PK\x07\x08'].some((sig) => head.startsWith(sig))) return sniffZip(b);
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return sniffOle(b);
  if (head.startsWith('{\\rtf')) return t('application/rtf', 'rtf');
  if (head.slice(4, 8) === 'ftyp') {
    const brand = head.slice(8, 12);
    return FTYP_BRANDS.find(([re]) => re.test(brand))?.[1] ?? t('video/mp4', 'mp4');
  }
  if (head.startsWith('OggS') && b[4] === 0) return t('audio/ogg', 'ogg');
  if (head.startsWith('fLaC')) return t('audio/flac', 'flac');
  // UTF-16 text with a byte-order mark (Windows Notepad "Unicode"); FF FE could also start an MPEG frame.
  const utf16 =
    b[0] === 0xff && b[1] === 0xfe ? 'utf-16le' : b[0] === 0xfe && b[1] === 0xff ? 'utf-16be' : null;
  if (utf16 && b.length % 2 === 0 && decodesAsText(b.subarray(2), utf16)) return t('text/plain', 'txt');
  if ((head.startsWith('ID3') && (b[3] ?? 9) <= 4) || isMpegAudioFrame(b)) return t('audio/mpeg', 'mp3');
  if (b[0] === 0xff && ((b[1] ?? 0) & 0xf6) === 0xf0) return t('audio/aac', 'aac'); // ADTS
  if (decodesAsText(b, 'utf-8')) return t('text/plain', 'txt'); // also e-mail (.eml), CSV, HTML, SVG
  return null;
}

/** The content type by magic bytes, or null when the content is not recognised. */
export function sniffContentType(bytes: Uint8Array): SniffedType | null {
  const found = inspect(bytes);
  return found && { mime: found.mime, ext: found.ext };
}

// ---- Filenames --------------------------------------------------------------------------------------

const MAX_FILENAME_BYTES = 120;
const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');
// Controls, lone surrogates, line/paragraph separators, bidi controls (the "invoice\u202Efdp.exe" trick),
// zero-width space and BOM. ZWNJ/ZWJ stay: Persian words and emoji sequences need them.
const INVISIBLE = /[\p{Cc}\p{Cs}\u2028\u2029\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]/gu;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

function splitExtension(name: string): [string, string] {
  const m = /^(.*?)(\.[\p{L}\p{N}]{1,16})$/u.exec(name);
  return m ? [m[1]!, m[2]!] : [name, ''];
}

/** Cut to at most maxBytes of UTF-8 without splitting a grapheme (combining marks, emoji). */
function truncateBytes(s: string, maxBytes: number): string {
  if (utf8Length(s) <= maxBytes) return s;
  let out = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(s)) {
    used += utf8Length(segment);
    if (used > maxBytes) break;
    out += segment;
  }
  return out;
}

const tidyStem = (s: string) => s.replace(/^[\s.]+|[\s.]+$/gu, '');

/** A filename that is safe to store and to offer for download on any common OS. */
export function sanitiseFilename(name: string): string {
  const base =
    String(name ?? '')
      .normalize('NFC')
      .replace(INVISIBLE, '')
      .split(/[/\\]/)
      .pop() ?? '';
  let [stem, ext] = splitExtension(
    tidyStem(
      base
        .replace(/[<>:"|?*]/g, '_')
        .replace(/\s+/gu, ' ')
        .normalize('NFC'),
    ),
  );
  stem = tidyStem(stem);
  if (RESERVED.test(stem.split('.')[0]!.trim())) stem = `_${stem}`;
  if (utf8Length(ext) > MAX_FILENAME_BYTES / 2) [stem, ext] = [stem + ext, ''];
  stem = tidyStem(truncateBytes(stem, MAX_FILENAME_BYTES - utf8Length(ext)));
  if (!stem) stem = ext ? 'attachment' : '';
  return stem + ext || 'attachment';
}

/**
 * Extensions accepted as-is for a sniffed type. Any other extension gets the sniffed one appended
 * ("run.bat" holding text becomes "run.bat.txt"), so that the name never misleads the OS that opens it.
 */
const EXTENSION_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'text/plain': ['txt', 'text', 'csv', 'tsv', 'eml', 'log', 'md'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/tiff': ['tif', 'tiff'],
  'image/heic': ['heic', 'heif'],
  'image/heif': ['heif', 'heic'],
  'audio/ogg': ['ogg', 'oga', 'opus'],
  'audio/mp4': ['m4a', 'mp4'],
  'audio/wav': ['wav', 'wave'],
};

function withSniffedExtension(filename: string, type: SniffedType): string {
  const current = splitExtension(filename)[1].slice(1).toLowerCase();
  if (current === type.ext || EXTENSION_ALIASES[type.mime]?.includes(current)) return filename;
  return sanitiseFilename(`${filename}.${type.ext}`);
}

// ---- The check -------------------------------------------------------------------------------------

export const defaultAttachmentPolicy: Readonly<AttachmentPolicy> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  allowedTypes: Object.freeze(
    `application/pdf application/rtf text/plain ${DOCX} ${XLSX} ${PPTX} application/msword
     application/vnd.ms-excel application/vnd.ms-powerpoint ${ODF}text ${ODF}spreadsheet ${ODF}presentation
     image/png image/jpeg image/gif image/webp image/tiff image/heic image/heif image/avif
     audio/mpeg audio/wav audio/ogg audio/mp4 audio/aac audio/flac audio/amr`.split(/\s+/),
  ) as string[],
});

export function checkAttachment(
  input: { filename: string; bytes: Uint8Array; declaredType?: string },
  policy: AttachmentPolicy = defaultAttachmentPolicy,
): AttachmentCheck {
  // input.declaredType is deliberately ignored: only the bytes decide the type.
  const { bytes } = input;
  const size = bytes.byteLength;
  if (size === 0) return { ok: false, code: 'empty', message: 'The file is empty.' };
  if (size > policy.maxBytes) {
    const mib = (policy.maxBytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
    return { ok: false, code: 'too_large', message: `The file is larger than the ${mib} MiB limit.` };
  }
  const found = inspect(bytes);
  const refuse = (message: string): AttachmentCheck => ({ ok: false, code: 'type_not_allowed', message });
  if (!found) return refuse('The file type could not be recognised.');
  if (found.executable) return refuse('Programs and scripts cannot be attached.');
  if (found.macros) return refuse('Documents containing macros cannot be attached.');
  if (!policy.allowedTypes.includes(found.mime))
    return refuse(`Files of type ${found.mime} cannot be attached.`);
  return {
    ok: true,
    mime: found.mime,
    filename: withSniffedExtension(sanitiseFilename(input.filename), found),
    size,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
