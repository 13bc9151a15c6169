import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PGlite } from '@electric-sql/pglite';
import { ARABIC_LETTER_FORMS, ARABIC_MARKS, CJK_RUN, normalise, searchDocument, searchQueryTerms, toTsQuery } from './text.ts';

/** What `to_tsvector('simple', doc) @@ to_tsquery('simple', q)` does, for our own output. */
function jsMatch(doc: string, q: string): boolean {
  const tsq = toTsQuery(q);
  if (tsq === null) return false;
  const tokens = doc.split(' ');
  return tsq.split(' & ').every((part) => {
    const m = /^'((?:[^'\\]|'')+)'(:\*)?$/u.exec(part);
    if (!m) throw new Error(`unexpected tsquery part ${part}`);
    const term = m[1]!.replace(/''/g, "'");
    return m[2] ? tokens.some((t) => t.startsWith(term)) : tokens.includes(term);
  });
}

const SAFE_TSQUERY = /^'[\p{L}\p{N}\p{M}]+'(:\*)?( & '[\p{L}\p{N}\p{M}]+'(:\*)?)*$/u;

const DOCS = {
  zh: '我的信用卡被重复扣费了',
  zh2: '银行多收了我的手续费，请退款。',
  en: 'My credit card was charged twice for the same purchase!',
  ar: 'تم خصم الرسوم من حسابي مرتين',
  ar2: 'أرسلتُ شكوى بخصوص الرســـوم',
  fa: 'کارت بانکی من دو بار شارژ شد',
  fa2: 'می‌خواهم پولم را پس بگیرم. مبلغ ۱۲۵۰۰۰ ریال',
  pl: 'Reklamacja dotycząca opłaty za kartę kredytową w Łodzi',
  nl: 'De bank heeft twee keer kosten in rekening gebracht; ik ben geïnteresseerd in een oplossing. IJsselmeer',
};

// [document, query, should match]
const CASES: Array<[keyof typeof DOCS, string, boolean]> = [
  ['zh', '信用卡', true],
  ['zh', '扣费', true],
  ['zh', '重复扣费', true],
  ['zh', '重复 扣费', true],
  ['zh', '信用', true],
  ['zh', '卡', true], // a single character: prefix match, found although the segmenter made it part of 信用卡
  ['zh', '了', true],
  ['zh', '信用社', false],
  ['zh', '扣款', false],
  ['zh', '银行', false],
  ['zh2', '手续费', true],
  ['zh2', '续费', true],
  ['zh2', '退款', true],
  ['zh2', '收费', false],
  ['en', 'credit card', true],
  ['en', 'CHARGED', true],
  ['en', 'charge', true], // the last Latin term is a prefix
  ['en', 'charges', false],
  ['en', 'twice, purchase', true],
  ['en', 'refund', false],
  ['ar', 'رسوم', true],
  ['ar', 'الرسوم', true],
  ['ar', 'الرُّسُوم', true], // harakat
  ['ar', 'بالرسوم', true], // bi- + article
  ['ar', 'حسابى', true], // alef maksura for yeh
  ['ar', 'خَصْم مرتين', true],
  ['ar', 'تحويل', false],
  ['ar2', 'ارسلت', true], // hamza on alef
  ['ar2', 'شكوي', true],
  ['ar2', 'رسوم', true], // tatweel
  ['fa', 'كارت', true], // Arabic kaf
  ['fa', 'بانكي', true], // Arabic kaf and yeh
  ['fa', 'شارژ', true],
  ['fa', 'وام', false],
  ['fa2', 'می خواهم', true], // ZWNJ in the document, a space in the query
  ['fa2', 'خواهم', true],
  ['fa2', '125000', true], // Persian digits
  ['fa2', '١٢٥٠٠٠', true], // Arabic-Indic digits
  ['fa2', 'ريال', true],
  ['pl', 'opłaty', true],
  ['pl', 'oplaty', true], // typed without diacritics
  ['pl', 'opłat', true], // prefix
  ['pl', 'KARTĘ kredytową', true],
  ['pl', 'lodzi', true], // Ł
  ['pl', 'karta', false], // no stemming
  ['nl', 'kosten rekening', true],
  ['nl', 'geinteresseerd', true],
  ['nl', 'geïnteresseerd', true],
  ['nl', 'oploss', true],
  ['nl', 'ĳsselmeer', true], // the ĳ ligature
  ['nl', 'terugbetaling', false],
];

const NASTY_QUERIES = [
  `a & b | !c :* ' "`,
  `'); DROP TABLE complaints; --`,
  '\\',
  "''''",
  'a:*b',
  '(a | b) <-> c',
  '!!!',
  ':*',
  '&&& |||',
  "'\\''",
  'foo:A',
  '信用卡 & !扣费',
  'الرسوم | !رسوم',
];

describe('searchDocument', () => {
  it('normalises, strips punctuation and skips empty parts', () => {
    expect(searchDocument('Hello, World! (Test)', null, undefined, '', 'ＦＵＬＬ-width ①')).toBe(
      'hello world test full width 1',
    );
    expect(searchDocument()).toBe('');
    expect(searchDocument('…—!?')).toBe('');
  });

  it('stores the bigrams and the last character of each Han run', () => {
    const doc = searchDocument(DOCS.zh).split(' ');
    expect(doc).toEqual(expect.arrayContaining(['信用', '用卡', '重复', '扣费', '费了', '了']));
    expect(doc).not.toContain('信用卡'); // whole words are never queried: a Han query is its bigrams
  });

  it('applies the Arabic/Persian normalisation', () => {
    expect(searchDocument('الرُّسُوم بالرســوم أإآ ی ک ة ۱۲ ١٢')).toBe('رسوم رسوم ااا ي ك ه 12 12');
    expect(searchDocument('الم')).toBe('الم'); // too short to strip the article
  });

  it('drops pasted blobs and caps the document at 64 KiB on a token boundary', () => {
    expect(searchDocument(`x${'A'.repeat(150)} ok`)).toBe('ok');
    const long = searchDocument('我的信用卡被重复扣费了。'.repeat(20_000), 'word '.repeat(50_000));
    expect(Buffer.byteLength(long, 'utf8')).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.byteLength(long, 'utf8')).toBeGreaterThan(60 * 1024);
    expect(long).not.toMatch(/^ | $| {2}/);
    expect(searchDocument('a'.repeat(1_000_000)).length).toBe(0);
  });
});

describe('searchQueryTerms and toTsQuery', () => {
  it('turns Han queries into bigrams and keeps a single Han character', () => {
    expect(searchQueryTerms('信用卡')).toEqual(['信用', '用卡']);
    expect(searchQueryTerms('重复扣费')).toEqual(['重复', '复扣', '扣费']);
    expect(searchQueryTerms('卡')).toEqual(['卡']);
    expect(searchQueryTerms('Visa卡 被扣费')).toEqual(['visa', '卡', '被扣', '扣费']);
  });

  it('quotes every term, ANDs them, and prefixes the last Latin term and single Han characters', () => {
    expect(toTsQuery('credit card')).toBe("'credit' & 'card':*");
    expect(toTsQuery('card 信用卡')).toBe("'card':* & '信用' & '用卡'");
    expect(toTsQuery('卡')).toBe("'卡':*");
    expect(toTsQuery('الرسوم')).toBe("'رسوم'");
    expect(toTsQuery('card card CARD')).toBe("'card':*");
  });

  it('returns null when nothing searchable is left', () => {
    for (const q of ['', '   ', '!!!', ':*', '&&& |||', "''''", '\\', '…']) expect(toTsQuery(q)).toBeNull();
  });

  it('neutralises tsquery operators and quotes', () => {
    expect(toTsQuery(`a & b | !c :* ' "`)).toBe("'a' & 'b' & 'c':*");
    expect(toTsQuery(`'); DROP TABLE complaints; --`)).toBe("'drop' & 'table' & 'complaints':*");
    for (const q of NASTY_QUERIES) {
      const tsq = toTsQuery(q);
      if (tsq !== null) expect(tsq).toMatch(SAFE_TSQUERY);
    }
  });

  it('bounds the number of terms', () => {
    const q = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    expect(searchQueryTerms(q)).toHaveLength(32);
  });

  it('property: the output is always null or a safe tsquery', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (q) => {
        const tsq = toTsQuery(q);
        expect(tsq === null || SAFE_TSQUERY.test(tsq)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('matching in all six languages (documents and queries through the same normalisation)', () => {
  it.each(CASES)('%s ∋ %j → %s', (doc, q, expected) => {
    expect(jsMatch(searchDocument(DOCS[doc]), q)).toBe(expected);
  });

  it('property: any Han substring of a document matches it, however it was segmented', () => {
    const han = fc.constantFrom(
      ...'我的信用卡被重复扣费了银行多收手续请退款账户余额不足服务态度差'.split(''),
    );
    fc.assert(
      fc.property(fc.string({ unit: han, minLength: 1, maxLength: 40 }), fc.nat(), fc.nat(), (text, a, b) => {
        const chars = [...text];
        const start = a % chars.length;
        const q = chars.slice(start, start + 1 + (b % (chars.length - start))).join('');
        expect(jsMatch(searchDocument(`前言。${text}，后记`), q)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: any word of a multilingual document finds the document', () => {
    const vocabulary = [
      ...Object.values(DOCS)
        .join(' ')
        .split(/[\s,.;!，。]+/u),
      '信用卡',
      '扣费',
      'بالرسوم',
    ];
    const word = fc.constantFrom(...vocabulary.filter(Boolean));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 30 }), fc.nat(), (words, i) => {
        expect(jsMatch(searchDocument(words.join(' ')), words[i % words.length]!)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('against PostgreSQL (PGlite): to_tsvector/to_tsquery with the simple configuration', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => {
    await db.close();
  });

  const pgMatch = async (doc: string, tsq: string) => {
    const { rows } = await db.query<{ m: boolean }>(
      `select to_tsvector('simple', $1) @@ to_tsquery('simple', $2) as m`,
      [doc, tsq],
    );
    return rows[0]!.m;
  };

  it('agrees with the expected matches for every language case', async () => {
    for (const [doc, q, expected] of CASES) {
      expect(await pgMatch(searchDocument(DOCS[doc]), toTsQuery(q)!), `${doc} ∋ ${q}`).toBe(expected);
    }
  });

  it('accepts every hostile query without a syntax error and without operators leaking', async () => {
    const doc = searchDocument('a b c drop table complaints 信用卡 扣费 رسوم foo');
    for (const q of NASTY_QUERIES) {
      const tsq = toTsQuery(q);
      if (tsq === null) continue;
      const { rows } = await db.query<{ q: string }>(`select to_tsquery('simple', $1)::text as q`, [tsq]);
      expect(rows[0]!.q).not.toMatch(/[|!]|<->/);
      await expect(pgMatch(doc, tsq)).resolves.toBeTypeOf('boolean');
    }
  });

  it('property: random queries never break to_tsquery', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (q) => {
        const tsq = toTsQuery(q);
        if (tsq !== null) await db.query(`select to_tsquery('simple', $1)`, [tsq]);
      }),
      { numRuns: 300 },
    );
  });
});

/** Every pass, always: the reference that the fast `normalise` must equal. */
function normaliseFully(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = s
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(/ł/g, 'l');
  s = s.replace(ARABIC_MARKS, '');
  for (const [from, to] of ARABIC_LETTER_FORMS) s = s.replace(from, to);
  s = s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
  return s.replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ').replace(CJK_RUN, ' $& ');
}

describe('the fast normalisation', () => {
  it('equals every pass applied always, on any text', () => {
    const pieces = fc.constantFrom('a', 'Z', '9', ' ', '-', 'é', 'e\u0301', 'Ł', 'ż', 'ĳ', 'Ａ', 'ﬁ', 'أ', 'ـ', 'ی', '٣', '۴', 'ة', 'َ', '信', '用', 'カ', '한', '\u200c', 'Å', 'q\u0307', 'a\u1dc0', '\u00a0', 'İ', 'ß');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: pieces, maxLength: 30 }), fc.string()), (text) => {
        expect(normalise(text)).toBe(normaliseFully(text));
      }),
      { numRuns: 3000 },
    );
  });
});
