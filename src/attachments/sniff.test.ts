import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkAttachment, defaultAttachmentPolicy, sanitiseFilename, sniffContentType } from './sniff.ts';

const enc = new TextEncoder();
const bytes = (...parts: Array<string | number[] | Uint8Array>): Uint8Array =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p as Uint8Array))),
  );
const u16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** A minimal but well-formed ZIP: local headers, central directory and end record. */
function zip(entries: Array<[string, string]>, opts: { centralDirectory?: boolean; deflate?: boolean } = {}) {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const raw = enc.encode(content);
    const data = opts.deflate && name !== 'mimetype' ? deflateRawSync(raw) : raw;
    const method = data === raw ? 0 : 8;
    const common = [...u16(20), ...u16(0), ...u16(method), ...u32(0), ...u32(0)];
    const sizes = [...u32(data.length), ...u32(raw.length), ...u16(name.length)];
    const local = bytes([0x50, 0x4b, 3, 4], common, sizes, u16(0), name, data);
    centrals.push(bytes([0x50, 0x4b, 1, 2], u16(20), common, sizes, u16(0), u16(0), u16(0), u16(0), u32(0), u32(offset), name)); // prettier-ignore
    locals.push(local);
    offset += local.length;
  }
  const cd = bytes(...centrals);
  const end = bytes([0x50, 0x4b, 5, 6], u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cd.length), u32(offset), u16(0)); // prettier-ignore
  return opts.centralDirectory === false ? bytes(...locals) : bytes(...locals, cd, end);
}

/** A minimal OLE compound file (512-byte sectors) whose directory holds the given entry names. */
function ole(names: string[], opts: { fatViaDifat?: boolean } = {}): Uint8Array {
  const all = ['Root Entry', ...names];
  const dirSectors = Math.ceil(all.length / 4);
  const header = new Uint8Array(512).fill(0);
  header.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  header.set([...u16(0x3e), ...u16(3), ...u16(0xfffe), ...u16(9), ...u16(6)], 24);
  header.set([...u32(1), ...u32(1)], 44); // 1 FAT sector; directory starts at sector 1
  header.set([...u32(4096), ...u32(0xfffffffe), ...u32(0), ...u32(0xfffffffe), ...u32(0)], 56);
  header.fill(0xff, 76);
  const fat = new Uint8Array(512).fill(0xff);
  fat.set(u32(0xfffffffd), 0);
  for (let s = 1; s <= dirSectors; s++) fat.set(u32(s === dirSectors ? 0xfffffffe : s + 1), s * 4);
  const difat = new Uint8Array(opts.fatViaDifat ? 512 : 0).fill(0xff);
  if (opts.fatViaDifat) {
    // list the FAT sector (0) in a DIFAT sector placed after the directory instead of in the header
    header.set([...u32(dirSectors + 1), ...u32(1)], 68);
    difat.set(u32(0), 0);
    difat.set(u32(0xfffffffe), 508);
    fat.set(u32(0xfffffffc), (dirSectors + 1) * 4);
  } else header.set(u32(0), 76); // the FAT is sector 0
  const dir = new Uint8Array(512 * dirSectors);
  all.forEach((name, i) => {
    for (let k = 0; k < name.length; k++) dir.set(u16(name.charCodeAt(k)), i * 128 + 2 * k);
    dir.set(u16(name.length * 2 + 2), i * 128 + 64);
    dir[i * 128 + 66] = i === 0 ? 5 : 2;
  });
  return bytes(header, fat, dir, difat);
}

const OOXML_DOCX = [
  ['[Content_Types].xml', '<Types/>'],
  ['_rels/.rels', '<Relationships/>'],
  ['docProps/core.xml', '<cp:coreProperties/>'.repeat(100)],
  ['word/document.xml', '<w:document/>'],
] as [string, string][];

describe('sniffContentType', () => {
  // prettier-ignore
  it.each([
    ['PDF', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), 'application/pdf', 'pdf'],
    ['PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'image/png', 'png'],
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF\0'), 'image/jpeg', 'jpg'],
    ['GIF87a', bytes('GIF87a\x01\x00\x01\x00'), 'image/gif', 'gif'],
    ['GIF89a', bytes('GIF89a\x01\x00\x01\x00'), 'image/gif', 'gif'],
    ['WebP', bytes('RIFF', u32(100), 'WEBPVP8 '), 'image/webp', 'webp'],
    ['TIFF little-endian', bytes('II*\0\x08\0\0\0'), 'image/tiff', 'tif'],
    ['TIFF big-endian', bytes('MM\0*\0\0\0\x08'), 'image/tiff', 'tif'],
    ['HEIC', bytes(u32(24).reverse(), 'ftypheic\0\0\0\0mif1heic'), 'image/heic', 'heic'],
    ['HEIF', bytes([0, 0, 0, 24], 'ftypmif1\0\0\0\0mif1heic'), 'image/heif', 'heif'],
    ['AVIF', bytes([0, 0, 0, 24], 'ftypavif\0\0\0\0avifmif1'), 'image/avif', 'avif'],
    ['MP4 video', bytes([0, 0, 0, 24], 'ftypisom\0\0\x02\0isomiso2'), 'video/mp4', 'mp4'],
    ['M4A audio', bytes([0, 0, 0, 24], 'ftypM4A \0\0\0\0M4A mp42'), 'audio/mp4', 'm4a'],
    ['QuickTime', bytes([0, 0, 0, 20], 'ftypqt  \0\0\0\0qt  '), 'video/quicktime', 'mov'],
    ['MP3 with ID3', bytes('ID3\x04\0\0\0\0\0\0'), 'audio/mpeg', 'mp3'],
    ['MP3 bare frame', bytes([0xff, 0xfb, 0x90, 0x64, 0, 0]), 'audio/mpeg', 'mp3'],
    ['AAC (ADTS)', bytes([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'audio/aac', 'aac'],
    ['WAV', bytes('RIFF', u32(36), 'WAVEfmt '), 'audio/wav', 'wav'],
    ['Ogg', bytes('OggS\0\x02\0\0'), 'audio/ogg', 'ogg'],
    ['FLAC', bytes('fLaC\0\0\0\x22'), 'audio/flac', 'flac'],
    ['AMR (starts with #! but is audio)', bytes('#!AMR\n\x3c'), 'audio/amr', 'amr'],
    ['RTF', bytes('{\\rtf1\\ansi\\deff0 {\\fonttbl}}'), 'application/rtf', 'rtf'],
    ['DOCX', zip(OOXML_DOCX), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
    ['DOCX (deflated)', zip(OOXML_DOCX, { deflate: true }), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
    ['DOCX without central directory', zip(OOXML_DOCX, { centralDirectory: false }), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
    ['XLSX', zip([['[Content_Types].xml', '<Types/>'], ['xl/workbook.xml', '<w/>']]), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['PPTX', zip([['[Content_Types].xml', '<Types/>'], ['ppt/presentation.xml', '<p/>']]), 'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx'],
    ['DOCM (macros)', zip([...OOXML_DOCX, ['word/vbaProject.bin', 'x']]), 'application/vnd.ms-word.document.macroEnabled.12', 'docm'],
    ['ODT', zip([['mimetype', 'application/vnd.oasis.opendocument.text'], ['content.xml', '<x/>']]), 'application/vnd.oasis.opendocument.text', 'odt'],
    ['generic ZIP', zip([['a.txt', 'hello'], ['word.txt', 'x']]), 'application/zip', 'zip'],
    ['ZIP with [Content_Types].xml only', zip([['[Content_Types].xml', '<Types/>']]), 'application/zip', 'zip'],
    ['empty ZIP', bytes([0x50, 0x4b, 5, 6], new Array(18).fill(0)), 'application/zip', 'zip'],
    ['DOC', ole(['WordDocument', '1Table', '\x05SummaryInformation']), 'application/msword', 'doc'],
    ['DOC with a long directory chain', ole(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'WordDocument']), 'application/msword', 'doc'],
    ['DOC with the FAT listed in a DIFAT sector', ole(['a', 'b', 'c', 'd', 'e', 'WordDocument'], { fatViaDifat: true }), 'application/msword', 'doc'],
    ['XLS', ole(['Workbook', '\x05SummaryInformation']), 'application/vnd.ms-excel', 'xls'],
    ['XLS (Excel 5)', ole(['Book']), 'application/vnd.ms-excel', 'xls'],
    ['PPT', ole(['PowerPoint Document', 'Current User']), 'application/vnd.ms-powerpoint', 'ppt'],
    ['MSG', ole(['__substg1.0_0037001F', '__properties_version1.0']), 'application/vnd.ms-outlook', 'msg'],
    ['encrypted OOXML', ole(['EncryptionInfo', 'EncryptedPackage']), 'application/x-ole-storage', 'bin'],
    ['text starting with MZ', enc.encode('MZ Bank charged me twice'), 'text/plain', 'txt'],
    ['text starting with ID3', enc.encode('ID3 tags are wrong'), 'text/plain', 'txt'],
    ['text starting with OggS', enc.encode('OggS files'), 'text/plain', 'txt'],
    ['plain ASCII text', enc.encode('Hello,\r\nthe card was charged twice.\n'), 'text/plain', 'txt'],
    ['UTF-8 multilingual text', enc.encode('我的信用卡被重复扣费了 — الرسوم — żółć\n'), 'text/plain', 'txt'],
    ['UTF-8 with BOM', enc.encode('\ufeffname;amount\nJan;12,50\n'), 'text/plain', 'txt'],
    ['CSV', enc.encode('date,amount,description\n2024-01-02,12.50,"fee"\n'), 'text/plain', 'txt'],
    ['EML', enc.encode('From: a@example.org\r\nSubject: =?UTF-8?B?w6k=?=\r\n\r\nBody\r\n'), 'text/plain', 'txt'],
    ['HTML (never text/html)', enc.encode('<!doctype html><script>alert(1)</script>'), 'text/plain', 'txt'],
    ['SVG (never image/svg+xml)', enc.encode('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>'), 'text/plain', 'txt'],
    ['UTF-16LE text with BOM', bytes([0xff, 0xfe], Buffer.from('Hello الرسوم', 'utf16le')), 'text/plain', 'txt'],
    ['UTF-16BE text with BOM', bytes([0xfe, 0xff], Buffer.from('Hi', 'utf16le').swap16()), 'text/plain', 'txt'],
    ['MZ executable', bytes('MZ\x90\0\x03\0\0\0'), 'application/vnd.microsoft.portable-executable', 'exe'],
    ['ELF executable', bytes('\x7fELF\x02\x01\x01\0'), 'application/x-executable', 'elf'],
    ['Mach-O', bytes([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), 'application/x-mach-binary', 'bin'],
    ['WebAssembly', bytes('\0asm\x01\0\0\0'), 'application/wasm', 'wasm'],
    ['shell script', enc.encode('#!/bin/sh\nrm -rf /\n'), 'text/x-shellscript', 'sh'],
    ['script with BOM', enc.encode('\ufeff#!/usr/bin/env python3\n'), 'text/x-shellscript', 'sh'],
  ])('%s', (_label, data, mime, ext) => {
    expect(sniffContentType(data)).toEqual({ mime, ext });
  });

  it.each([
    ['empty', new Uint8Array()],
    ['binary with NUL', bytes('abc\0def')],
    ['invalid UTF-8', bytes('caf\xe9 au lait')],
    ['control characters', bytes('abc\x01\x02')],
    ['random binary', bytes([0x13, 0x37, 0x00, 0xfe, 0x80])],
    ['odd-length UTF-16 with BOM', bytes([0xfe, 0xff, 0x41])],
  ])('returns null for %s', (_label, data) => {
    expect(sniffContentType(data)).toBeNull();
  });

  it('property: never throws, whatever the bytes (including truncated containers)', () => {
    const prefixes = [zip(OOXML_DOCX), ole(['WordDocument']), bytes('RIFF'), bytes([0, 0, 0, 8], 'ftyp')];
    const data = fc
      .tuple(fc.constantFrom(...prefixes), fc.nat(), fc.uint8Array({ maxLength: 600 }))
      .map(([p, cut, tail]) => bytes(p.subarray(0, cut % (p.length + 1)), tail));
    fc.assert(
      fc.property(data, (d) => {
        expect(() => sniffContentType(d)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('property: any valid UTF-8 text without controls is text/plain', () => {
    const textArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).filter((s) => {
      return (
        // eslint-disable-next-line no-control-regex
        !/[\0-\x08\x0e-\x1f\x7f]/.test(s) && !/^(\ufeff)?#!|^(%PDF-|GIF8|\{\\rtf|fLaC|RIFF|MM\0|II\*)/.test(s)
      );
    });
    fc.assert(
      fc.property(textArb, (s) => {
        expect(sniffContentType(enc.encode(s))?.mime).toBe('text/plain');
      }),
    );
  });
});

describe('sanitiseFilename', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['C:\\Users\\jan\\Documents\\klacht.docx', 'klacht.docx'],
    ['../../etc/passwd', 'passwd'],
    ['/var/tmp/', 'attachment'],
    ['.htaccess', 'htaccess'],
    ['...hidden.txt', 'hidden.txt'],
    ['  spaced   out  name .pdf ', 'spaced out name.pdf'],
    ['tab\there\nnew\x00line\x7f.txt', 'tabherenewline.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['what?<is>:this|"*.png', 'what__is__this___.png'],
    ['trailing dots...', 'trailing dots'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['Lpt1.tar.gz', '_Lpt1.tar.gz'],
    ['COM¹.doc', '_COM¹.doc'],
    ['console.txt', 'console.txt'],
    ['', 'attachment'],
    ['   ', 'attachment'],
    ['\u0000\u0001', 'attachment'],
    ['...', 'attachment'],
    ['شكوى الرسوم.pdf', 'شكوى الرسوم.pdf'],
    ['شکایت من.docx', 'شکایت من.docx'],
    ['می\u200cخواهم.txt', 'می\u200cخواهم.txt'],
    ['我的信用卡账单.png', '我的信用卡账单.png'],
    ['Reklamacja żółć.pdf', 'Reklamacja żółć.pdf'],
    ['Cafe\u0301.txt', 'Café.txt'],
    ['\ud800broken.txt', 'broken.txt'],
  ])('%j → %j', (input, expected) => {
    expect(sanitiseFilename(input)).toBe(expected);
  });

  it('limits names to 120 bytes of UTF-8 and keeps the extension', () => {
    const long = sanitiseFilename(`${'a'.repeat(300)}.pdf`);
    expect(long).toBe(`${'a'.repeat(116)}.pdf`);
    const han = sanitiseFilename(`${'信'.repeat(100)}.docx`);
    expect(han).toBe(`${'信'.repeat(38)}.docx`); // 38 × 3 + 5 = 119 bytes
    const arabic = sanitiseFilename(`${'ش'.repeat(100)}.pdf`);
    expect(Buffer.byteLength(arabic)).toBeLessThanOrEqual(120);
    expect(arabic.endsWith('.pdf')).toBe(true);
  });

  it('never splits a grapheme when truncating', () => {
    const family = '👨‍👩‍👧‍👦'; // 25 bytes
    const name = sanitiseFilename(`${family.repeat(10)}.jpg`);
    expect(name).toBe(`${family.repeat(4)}.jpg`);
  });

  it('property: safe, bounded and idempotent for arbitrary input', () => {
    const unit = fc.oneof(
      fc.constantFrom('.', '/', '\\', ' ', '\u202e', '\0', 'con', '\u200c', 'ش', '信', 'e\u0301', '👍🏽', ':'),
      fc.string({ unit: 'binary', maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.array(unit, { maxLength: 80 }).map((a) => a.join('')),
        (input) => {
          const out = sanitiseFilename(input);
          expect(out.length).toBeGreaterThan(0);
          expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(120);
          expect(out).not.toMatch(/[/\\<>:"|?*\p{Cc}\p{Cs}\u202a-\u202e]|^[.\s]|[.\s]$/u);
          expect(out).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
          expect(out).toBe(out.normalize('NFC'));
          expect(sanitiseFilename(out)).toBe(out);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('checkAttachment', () => {
  const pdf = bytes('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
  const check = (filename: string, data: Uint8Array, policy?: { maxBytes: number; allowedTypes: string[] }) =>
    checkAttachment({ filename, bytes: data }, policy);

  it('accepts an allowed type and reports the sniffed type, sanitised name, size and SHA-256', () => {
    const result = checkAttachment({ filename: '../statement.pdf', bytes: pdf, declaredType: 'text/html' });
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(result).toEqual({
      ok: true,
      mime: 'application/pdf',
      filename: 'statement.pdf',
      size: pdf.length,
      sha256,
    });
  });

  it('never trusts the declared type or the extension', () => {
    const exe = bytes('MZ\x90\0', new Array(60).fill(0));
    const lying = checkAttachment({ filename: 'invoice.pdf', bytes: exe, declaredType: 'application/pdf' });
    expect(lying).toMatchObject({ ok: false, code: 'type_not_allowed' });
    const honest = checkAttachment({
      filename: 'setup.exe',
      bytes: pdf,
      declaredType: 'application/x-msdownload',
    });
    expect(honest).toMatchObject({ ok: true, mime: 'application/pdf', filename: 'setup.exe.pdf' });
  });

  it('makes the extension agree with the content', () => {
    const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0]);
    const name = (filename: string, data: Uint8Array) => {
      const r = check(filename, data);
      return r.ok ? r.filename : r.code;
    };
    expect(name('photo.JPEG', jpeg)).toBe('photo.JPEG');
    expect(name('photo.png', jpeg)).toBe('photo.png.jpg');
    expect(name('photo', jpeg)).toBe('photo.jpg');
    expect(name('run.bat', enc.encode('del *.*'))).toBe('run.bat.txt');
    expect(name('page.html', enc.encode('<script>x</script>'))).toBe('page.html.txt');
    expect(name('statement.csv', enc.encode('a,b\n1,2\n'))).toBe('statement.csv');
    expect(name('v1.2', pdf)).toBe('v1.2.pdf');
    expect(name(`${'x'.repeat(200)}.txt.exe`, pdf)).toMatch(/^x+\.pdf$/);
  });

  it.each([
    ['ELF', bytes('\x7fELF\x02\x01\x01\0')],
    ['PE', bytes('MZ\x90\0')],
    ['shebang script', enc.encode('#!/bin/bash\necho hi\n')],
    ['Mach-O', bytes([0xfe, 0xed, 0xfa, 0xcf])],
  ])('refuses executables (%s) even when the policy allows their type', (_label, data) => {
    const result = check('x', data, { maxBytes: 1e6, allowedTypes: [sniffContentType(data)!.mime] });
    expect(result).toEqual({
      ok: false,
      code: 'type_not_allowed',
      message: 'Programs and scripts cannot be attached.',
    });
  });

  // prettier-ignore
  it.each([
    ['DOCM', zip([...OOXML_DOCX, ['word/vbaProject.bin', 'x']])],
    ['DOC with macros', ole(['WordDocument', 'Macros', 'VBA'])],
    ['XLS with macros', ole(['Workbook', '_VBA_PROJECT_CUR'])],
    ['ODT with Basic macros', zip([['mimetype', 'application/vnd.oasis.opendocument.text'], ['Basic/Standard/Module1.xml', 'x']])],
  ])('refuses documents with macros (%s)', (_label, data) => {
    const result = check('f', data, { maxBytes: 1e6, allowedTypes: [sniffContentType(data)!.mime] });
    const message = 'Documents containing macros cannot be attached.';
    expect(result).toEqual({ ok: false, code: 'type_not_allowed', message });
  });

  it('refuses empty files, oversized files and types outside the policy', () => {
    expect(check('a.pdf', new Uint8Array())).toEqual({
      ok: false,
      code: 'empty',
      message: 'The file is empty.',
    });
    const big = new Uint8Array(defaultAttachmentPolicy.maxBytes + 1);
    big.set(pdf);
    const message = 'The file is larger than the 10 MiB limit.';
    expect(check('a.pdf', big)).toEqual({ ok: false, code: 'too_large', message });
    expect(check('a.pdf', big.subarray(0, defaultAttachmentPolicy.maxBytes)).ok).toBe(true);
    expect(check('a.pdf', pdf, { maxBytes: 10, allowedTypes: [] })).toMatchObject({ code: 'too_large' });
    expect(check('a.zip', zip([['a.txt', 'x']]))).toMatchObject({
      code: 'type_not_allowed',
      message: 'Files of type application/zip cannot be attached.',
    });
    expect(check('a.bin', bytes([1, 2, 0, 3]))).toMatchObject({
      code: 'type_not_allowed',
      message: 'The file type could not be recognised.',
    });
  });

  it('default policy: 10 MiB; PDF, images, office documents, text and audio — no archives or video', () => {
    const { maxBytes, allowedTypes } = defaultAttachmentPolicy;
    expect(maxBytes).toBe(10 * 1024 * 1024);
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const allowed = `application/pdf image/png image/jpeg image/heic text/plain audio/mpeg application/msword ${docx}`;
    for (const mime of allowed.split(' ')) expect(allowedTypes).toContain(mime);
    const refused = 'application/zip video/mp4 application/x-ole-storage application/vnd.ms-outlook';
    for (const mime of refused.split(' ')) expect(allowedTypes).not.toContain(mime);
    expect(allowedTypes.every((m) => /^[a-z]+\/[a-z0-9.+-]+$/i.test(m))).toBe(true);
    expect(Object.isFrozen(allowedTypes)).toBe(true);
  });
});
