/** Reading the values of messy exports: dates in several formats, US ZIP codes that lost a leading zero, money tokens. */

export type DateOrder = 'ymd' | 'mdy' | 'dmy';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function validDate(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** A two-digit year: 00–69 → 2000s, 70–99 → 1900s. */
const fullYear = (y: string) =>
  y.length === 2 ? (Number(y) < 70 ? 2000 + Number(y) : 1900 + Number(y)) : Number(y);

/**
 * A calendar date as `YYYY-MM-DD`, or null. Accepts `2020-03-18`, `2020/3/18`, `2020-03-18T10:00:00` (date part),
 * and day/month orders with `/`, `.` or `-` separators and 2- or 4-digit years (`03/18/2020`, `3/18/20`,
 * `18.03.2020`): the first order of `orders` (the preset's) that gives a valid date wins, so `03/04/2020` is
 * 4 March under `['mdy', 'dmy']` and 3 April under `['dmy', 'mdy']`. Dotted dates are read day first when the
 * preset allows day-first at all (nobody writes month.day.year): `03.04.2020` is 3 April under both.
 */
export function parseDate(
  input: string,
  orders: readonly DateOrder[] = ['ymd', 'mdy', 'dmy'],
): string | null {
  const s = input.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?:[T ].*)?$/.exec(s);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[3]);
  const y = fullYear(m[4]!);
  // Dotted dates are day first wherever they are written (18.03.2020): day-month goes first when the preset allows it.
  const tried = m[2] === '.' && orders.includes('dmy') ? ['dmy' as const, ...orders] : orders;
  for (const order of tried) {
    const found = order === 'mdy' ? validDate(y, a, b) : order === 'dmy' ? validDate(y, b, a) : null;
    if (found) return found;
  }
  return null;
}

/** US states, DC and territories (USPS codes). */
export const usStates: ReadonlySet<string> = new Set(
  (
    'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC ' +
    'SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI UM FM MH PW AA AE AP'
  ).split(' '),
);

/**
 * A US ZIP code as written by a spreadsheet that took it for a number: `2134` → `02134`, `601` → `00601`, also with
 * a ZIP+4 (`2134-1234` → `02134-1234`) or a trailing `.0`. Redacted forms (`021XX`) and anything outside the US are
 * kept as they are.
 */
export function normaliseZip(zip: string, state: string): string {
  const z = zip.trim();
  if (!usStates.has(state.trim().toUpperCase())) return z;
  const m = /^(\d{3,5})(?:\.0+)?(-\d{4})?$/.exec(z);
  if (!m) return z;
  return m[1]!.padStart(5, '0') + (m[2] ?? '');
}

/**
 * Money tokens in a text, e.g. the CFPB narratives' `{$21.00}` and `{$1,200.00}` (amounts redacted to a token by
 * the CFPB), as numbers.
 */
export function moneyTokens(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/\{\$\s?([\d,]*\d(?:\.\d+)?)\}/g)) {
    const value = Number(m[1]!.replaceAll(',', ''));
    if (Number.isFinite(value)) out.push(value);
  }
  return out;
}

/** A money amount as typed in a spreadsheet: `$1,234.50`, `1234.5`, `(12.00)` (negative), `USD 3`; null if not one. */
export function parseMoney(input: string): number | null {
  let s = input.trim().replace(/^(USD|EUR|GBP|PLN|CNY)\s*/i, '');
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1).trim();
  }
  s = s.replace(/^[$€£¥]\s*/, '');
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(s)) return null;
  const value = Number(s.replaceAll(',', ''));
  return negative ? -value : value;
}

/** A lower-case ASCII slug of a label, at most `max` characters (a longer one ends with a short digest of the whole). */
const slugs = new Map<string, string>();

export function slug(label: string, max = 24): string {
  const memo = `${max}\u0000${label}`;
  const hit = slugs.get(memo);
  if (hit !== undefined) return hit;
  const made = makeSlug(label, max);
  if (slugs.size > 50_000) slugs.clear();
  slugs.set(memo, made);
  return made;
}

function makeSlug(label: string, max: number): string {
  const base = label
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!base) return `x-${fnv(label)}`; // no Latin letters or digits (e.g. Chinese): a digest of the label
  if (base.length <= max) return base;
  return `${base.slice(0, max - 7).replace(/-+$/, '')}-${fnv(base)}`;
}

/** 6 hex digits of FNV-1a (stable, no crypto needed for a key suffix). */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0').slice(0, 6);
}
