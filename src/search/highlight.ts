/**
 * Search snippets with the matches marked (WORK-1), in every script: the query is folded as the index folds text
 * (src/search/text.ts: NFKC, lower case, Latin diacritics, Arabic/Persian letter forms and marks, digits), the
 * description is folded character by character keeping each folded character's place in the original, and the
 * terms are found in it — whole words (or, in Arabic, after the article and its proclitics), a Han query as a
 * whole or else bigram by bigram — so "zolc" marks "żółć", "الرسوم" marks "بالرسوم" and "信用卡" marks "信用卡".
 */

const HAN = /\p{Script=Han}/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const ARABIC = /\p{Script=Arabic}/u;
const ARABIC_MARKS = /[\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]/gu;
const ARABIC_PREFIXES = 'وال بال كال فال ال لل'.split(' ');

function foldPiece(ch: string): string {
  let s = ch.normalize('NFKC').toLowerCase();
  s = s
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .replace(/^\p{M}+/u, '')
    .normalize('NFC')
    .replace(/ł/g, 'l');
  s = s.replace(ARABIC_MARKS, '');
  s = s
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/[\u0649\u06cc]/g, '\u064a')
    .replace(/\u06a9/g, '\u0643')
    .replace(/[\u0629\u06c0]/g, '\u0647');
  return s.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

interface Folded {
  text: string;
  /** For each UTF-16 unit of `text`: the start and end (exclusive) of the original character it came from. */
  start: number[];
  end: number[];
}

function fold(original: string): Folded {
  let text = '';
  const start: number[] = [];
  const end: number[] = [];
  let i = 0;
  for (const ch of original) {
    const piece = foldPiece(ch);
    for (let k = 0; k < piece.length; k++) {
      start.push(i);
      end.push(i + ch.length);
    }
    text += piece;
    i += ch.length;
  }
  return { text, start, end };
}

function stripArabicPrefix(token: string): string {
  if (!ARABIC.test(token)) return token;
  const prefix = ARABIC_PREFIXES.find((p) => token.startsWith(p) && [...token].length - p.length >= 2);
  return prefix ? token.slice(prefix.length) : token;
}

/** The folded terms of a query, each with its fallbacks (a Han run falls back to its bigrams). */
function queryTerms(q: string): string[][] {
  const folded = fold(q).text;
  const tokens = folded.match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  const out: string[][] = [];
  for (const token of tokens) {
    // Split mixed runs: CJK characters and the rest are separate terms.
    for (const piece of token.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]+/gu) ?? []) {
      if (CJK.test(piece)) {
        const chars = [...piece];
        out.push([piece, ...(chars.length > 2 ? chars.slice(1).map((c, j) => chars[j]! + c) : [])]);
      } else {
        out.push([stripArabicPrefix(piece)]);
      }
    }
  }
  return out.slice(0, 32);
}

function atWordStart(text: string, at: number): boolean {
  if (at === 0 || !WORD_CHAR.test(text[at - 1]!)) return true;
  // Arabic: the term may follow the article or a proclitic at the start of the word.
  for (const p of ARABIC_PREFIXES) {
    const from = at - p.length;
    if (from >= 0 && text.slice(from, at) === p && (from === 0 || !WORD_CHAR.test(text[from - 1]!))) return true;
  }
  return false;
}

function findAll(text: string, term: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!term) return out;
  const cjk = CJK.test(term);
  for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + 1)) {
    if (cjk) out.push([at, at + term.length]);
    else if (atWordStart(text, at)) {
      // A prefix (the last term of a query) marks the whole word it begins.
      let end = at + term.length;
      while (end < text.length && WORD_CHAR.test(text[end]!) && !CJK.test(text[end]!)) end++;
      out.push([at, end]);
    }
  }
  return out;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * A snippet of `text` (about `size` characters) around the first match of `q`, HTML-escaped, with every match in
 * it wrapped in <mark>…</mark>; null when nothing of the query is found in the text.
 */
export function searchSnippet(text: string, q: string, size = 220): string | null {
  const f = fold(text);
  const ranges: Array<[number, number]> = [];
  for (const alternatives of queryTerms(q)) {
    const [whole, ...parts] = alternatives;
    const found = findAll(f.text, whole ?? '');
    if (found.length > 0 || parts.length === 0) ranges.push(...found);
    else for (const p of parts) ranges.push(...findAll(f.text, p));
  }
  if (ranges.length === 0) return null;
  // Back to the original text, merged.
  const spans = ranges
    .map(([a, b]) => [f.start[a]!, f.end[b - 1]!] as [number, number])
    .sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  const first = merged[0]!;
  // A short lead before the first match, so that it shows even in a clamped list cell.
  let from = Math.max(0, first[0] - Math.min(30, Math.floor(size / 4)));
  let to = Math.min(text.length, from + size);
  if (to - from < size) from = Math.max(0, to - size);
  // Do not cut a word (or a surrogate pair) in two at either end.
  while (from > 0 && from > first[0] - size / 2 && WORD_CHAR.test(text[from - 1]!) && !HAN.test(text[from - 1]!)) from--;
  if (/[\udc00-\udfff]/.test(text.charAt(from))) from--;
  while (to < text.length && to < from + size + 20 && WORD_CHAR.test(text[to]!) && !HAN.test(text[to]!)) to++;
  if (/[\ud800-\udbff]/.test(text.charAt(to - 1))) to++;
  let out = from > 0 ? '…' : '';
  let at = from;
  for (const [a, b] of merged) {
    if (b <= from || a >= to) continue;
    const s = Math.max(a, from);
    const e = Math.min(b, to);
    out += escapeHtml(text.slice(at, s)) + '<mark>' + escapeHtml(text.slice(s, e)) + '</mark>';
    at = e;
  }
  out += escapeHtml(text.slice(at, to)) + (to < text.length ? '…' : '');
  return out;
}
