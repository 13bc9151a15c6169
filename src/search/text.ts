/**
 * Text preparation for PostgreSQL full-text search with the `simple` configuration (SPEC I18N-2).
 *
 * PostgreSQL's `simple` configuration only splits on non-letters and lower-cases, so the language
 * work happens here, identically for documents and queries:
 *
 *  - NFKC (full-width Latin and digits, ligatures such as Dutch "ĳ" → "ij"), lower case;
 *  - Latin diacritics are folded ("żółć" → "zolc", "geïnteresseerd" → "geinteresseerd"; also "ł" → "l"),
 *    so that a query typed without Polish or Dutch accents still matches;
 *  - Arabic and Persian: tatweel and harakat removed; alef forms (أ إ آ ٱ) → ا; yeh forms (ي ی ى) → ي;
 *    kaf forms (ك ک) → ك; teh marbuta ة and ۀ → ه; Arabic-Indic and Persian digits → 0-9; ZWNJ separates
 *    (as in Lucene's Persian analyser);
 *  - light Arabic prefix stripping: the article and its common proclitic forms (ال، وال، بال، كال، فال، لل)
 *    are removed when at least two letters remain, so "الرسوم", "بالرسوم" and "رسوم" are the same term.
 *    No suffix stripping (plurals and pronoun suffixes still differ);
 *  - punctuation and symbols become spaces; tokens longer than 100 characters (pasted blobs) are dropped;
 *  - Han/Hiragana/Katakana/Hangul runs (Chinese has no spaces): the overlapping character bigrams of
 *    every Han run plus the run's last character; kana and hangul runs are split with `Intl.Segmenter`. A Han query becomes its bigrams (ANDed), so any query of two or more Han characters
 *    that occurs in the document matches however the segmenter split either of them. A single Han
 *    character is a prefix term (`'卡':*`): every occurrence in the document begins a bigram or is the
 *    last character of its run, so it matches too.
 *
 * Store `to_tsvector('simple', searchDocument(...))` and query with `to_tsquery('simple', $1)`, passing
 * `toTsQuery(q)` as a bound parameter.
 */

const MAX_DOCUMENT_BYTES = 64 * 1024;
/** Work bound on the raw input (NFKC may expand, punctuation removal shrinks: be generous). */
const MAX_INPUT_CHARS = 4 * MAX_DOCUMENT_BYTES;
const MAX_QUERY_CHARS = 1000;
const MAX_QUERY_TERMS = 32;
const MAX_TOKEN_CHARS = 100;

export const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]+/gu;
const IS_CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]+$/u;
const HAN_OR_OTHER = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;
const IS_HAN = /^\p{Script=Han}+$/u;
const LATIN = /\p{Script=Latin}/u;
const ARABIC_LETTER = /^\p{Script=Arabic}/u;

// Harakat, superscript alef, Quranic annotation marks; tatweel.
export const ARABIC_MARKS = /[\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]/g;
export const ARABIC_LETTER_FORMS: ReadonlyArray<[RegExp, string]> = [
  [/[\u0622\u0623\u0625\u0671]/g, '\u0627'], // آ أ إ ٱ → ا
  [/[\u0649\u06cc]/g, '\u064a'], // ى ی → ي
  [/\u06a9/g, '\u0643'], // ک → ك
  [/[\u0629\u06c0]/g, '\u0647'], // ة ۀ → ه
];
/** wa-al, bi-al, ka-al, fa-al, al, li-l: longest first. */
const ARABIC_PREFIXES = 'وال بال كال فال ال لل'.split(' ');

let segmenter: Intl.Segmenter | undefined;
const words = (run: string): string[] =>
  [...(segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' })).segment(run)]
    .map((s) => s.segment.trim())
    .filter(Boolean);

// eslint-disable-next-line no-control-regex -- every ASCII character, controls included
const ASCII = /^[\x00-\x7f]*$/;
/** After NFKC: Latin letters that may carry diacritics, combining marks, ł. */
const MAY_HAVE_DIACRITICS = /[\u00c0-\u024f\u1e00-\u1eff]|\p{M}/u;
const ARABIC_BLOCK = /[\u0600-\u06ff]/;
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u;

/**
 * Everything except CJK segmentation and prefix stripping; returns space-separated text. The passes a text cannot
 * need are skipped (intake prepares every description: ASCII text takes one pass instead of nine); the result is
 * the same as running every pass on every text (a property test in text.test.ts checks it).
 */
export function normalise(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ');
  let s = text.normalize('NFKC').toLowerCase();
  if (MAY_HAVE_DIACRITICS.test(s)) s = s.normalize('NFD').replace(/(\p{Script=Latin})\p{M}+/gu, '$1').normalize('NFC').replace(/ł/g, 'l');
  if (ARABIC_BLOCK.test(s)) {
    s = s.replace(ARABIC_MARKS, '');
    for (const [from, to] of ARABIC_LETTER_FORMS) s = s.replace(from, to);
    s = s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
  }
  s = s.replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ');
  return CJK_CHAR.test(s) ? s.replace(CJK_RUN, ' $& ') : s;
}


function stripArabicPrefix(token: string): string {
  // Every prefix begins with a letter of the basic Arabic block: other tokens are left at once.
  const first = token.charCodeAt(0);
  if (first < 0x600 || first > 0x6ff || !ARABIC_LETTER.test(token)) return token;
  const prefix = ARABIC_PREFIXES.find((p) => token.startsWith(p) && [...token].length - p.length >= 2);
  return prefix ? token.slice(prefix.length) : token;
}

function bigrams(han: string): string[] {
  const chars = [...han];
  if (chars.length < 2) return chars;
  return chars.slice(1).map((c, i) => chars[i] + c);
}

/** Length in code points, counting only when the UTF-16 length could exceed the limit. */
const withinTokenLimit = (t: string) => t.length <= MAX_TOKEN_CHARS || [...t].length <= MAX_TOKEN_CHARS;

/** Normalised text has its CJK runs between spaces: a token is a CJK run exactly when it begins with one. */
const isCjkToken = (t: string) => t.charCodeAt(0) >= 0x1100 && IS_CJK.test(t);

/** CJK runs and other tokens (Arabic prefixes stripped, over-long ones dropped), in order. */
function tokens(normalised: string): string[] {
  const out: string[] = [];
  for (const t of normalised.split(' ')) {
    if (!t) continue;
    if (isCjkToken(t)) out.push(t);
    else if (withinTokenLimit(t)) out.push(stripArabicPrefix(t));
  }
  return out;
}

function documentTerms(token: string): string[] {
  if (!isCjkToken(token)) return [token];
  const out: string[] = [];
  for (const piece of token.match(HAN_OR_OTHER) ?? []) {
    // Han queries only ever use bigrams (and a single character as a prefix), so a Han run is stored as its bigrams
    // and last character; the segmenter (≈2 ms for a Chinese complaint) is kept for kana and hangul.
    if (!IS_HAN.test(piece)) out.push(...words(piece));
    else if ([...piece].length < 2) out.push(piece);
    else out.push(...bigrams(piece), [...piece].at(-1)!);
  }
  return out;
}

function queryTerms(token: string): string[] {
  if (!isCjkToken(token)) return [token];
  return (token.match(HAN_OR_OTHER) ?? []).flatMap((piece) =>
    IS_HAN.test(piece) ? bigrams(piece) : words(piece),
  );
}

function cut(s: string, maxChars: number): string {
  if (s.length <= maxChars) return s;
  const end = /[\ud800-\udbff]/.test(s.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  return s.slice(0, end);
}

/**
 * The text to index: `to_tsvector('simple', searchDocument(subject, description, …))`.
 * Null, undefined and empty parts are skipped; the result is at most 64 KiB of UTF-8.
 */
export function searchDocument(...parts: Array<string | null | undefined>): string {
  const text = cut(
    parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n'),
    MAX_INPUT_CHARS,
  );
  const normalised = normalise(text);
  const out: string[] = [];
  // Most documents are far below the limit in any encoding (≤ 3 bytes per UTF-16 unit): no counting then.
  if (normalised.length * 3 <= MAX_DOCUMENT_BYTES) {
    for (const token of tokens(normalised)) {
      if (isCjkToken(token)) out.push(...documentTerms(token));
      else out.push(token);
    }
    return out.join(' ');
  }
  let bytes = 0;
  for (const token of tokens(normalised)) {
    for (const term of documentTerms(token)) {
      bytes += Buffer.byteLength(term, 'utf8') + (out.length > 0 ? 1 : 0);
      if (bytes > MAX_DOCUMENT_BYTES) return out.join(' ');
      out.push(term);
    }
  }
  return out.join(' ');
}

/** The normalised terms of a user query, to be ANDed together (duplicates removed, at most 32). */
export function searchQueryTerms(q: string): string[] {
  const terms = tokens(normalise(cut(String(q ?? ''), MAX_QUERY_CHARS))).flatMap(queryTerms);
  return [...new Set(terms)].slice(0, MAX_QUERY_TERMS);
}

const quote = (term: string) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * A `to_tsquery('simple', …)` argument ANDing the query terms, each quoted, so that no operator in the
 * user's input survives; the last Latin-script term and single Han characters match as prefixes.
 * Null when the query has no terms (then search nothing, or list without text filtering).
 */
export function toTsQuery(q: string): string | null {
  const terms = searchQueryTerms(q);
  if (terms.length === 0) return null;
  const lastLatin = terms.findLastIndex((t) => LATIN.test(t));
  return terms
    .map((t, i) => quote(t) + (i === lastLatin || (IS_HAN.test(t) && [...t].length === 1) ? ':*' : ''))
    .join(' & ');
}
