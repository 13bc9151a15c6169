/**
 * Human-friendly complaint references (SPEC INT-3).
 *
 * A reference is 8 symbols of Crockford base32 (`0-9A-Z` without `I L O U`), shown as `XXXX-XXXX`:
 * 7 random symbols (35 bits, ~3.4e10 values) followed by 1 check symbol. Uniqueness is not guaranteed
 * by randomness alone: the caller stores references under a UNIQUE constraint and retries on conflict.
 *
 * Check symbol — a weighted sum over the finite field GF(32) = GF(2)[x]/(x^5 + x^2 + 1):
 * every symbol value v (0..31) is a field element, position i (1-based, i = 1..8) has weight
 * w_i = α^(8-i) with α = x (a primitive element), and a reference is valid iff Σ w_i·v_i = 0.
 * The check symbol sits at position 8 (weight α^0 = 1), so it equals Σ_{i≤7} w_i·v_i.
 *
 * Why this scheme (and not Luhn mod 32): all eight weights are distinct and non-zero, and GF(32)
 * has no zero divisors, so
 *  - a single substitution a→b at position i changes the sum by w_i·(a-b) ≠ 0  → always caught;
 *  - a transposition of a≠b at positions i≠j changes it by (w_i - w_j)·(a-b) ≠ 0 → always caught,
 *    adjacent or not (including transpositions involving the check symbol);
 *  - a twin error aa→bb at adjacent positions changes it by (w_i + w_j)·(a-b) ≠ 0 → always caught.
 * Luhn mod N misses the transposition of the symbols with values 0 and N-1 (`0Z` ↔ `Z0` for N=32),
 * and a plain weighted sum mod 32 cannot work because 32 is not prime (even weights lose information).
 * The property tests in reference.test.ts check all of the above exhaustively.
 */
import { randomInt } from 'node:crypto';

export const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PAYLOAD_LENGTH = 7;
const REFERENCE_LENGTH = PAYLOAD_LENGTH + 1;
/** x^5 + x^2 + 1, a primitive polynomial over GF(2). */
const FIELD_POLYNOMIAL = 0b100101;

const SYMBOL_VALUE: ReadonlyMap<string, number> = new Map(
  [...REFERENCE_ALPHABET].map((symbol, value) => [symbol, value] as const),
);
/** Crockford reading aids: letters that are read as the digits they resemble. */
const READING_AIDS: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

/** Multiplication in GF(32) (carry-less multiply, reduced by the field polynomial). */
export function gf32Multiply(a: number, b: number): number {
  let product = 0;
  let x = a;
  for (let y = b; y > 0; y >>= 1) {
    if (y & 1) product ^= x;
    x <<= 1;
    if (x & 0b100000) x ^= FIELD_POLYNOMIAL;
  }
  return product;
}

/** Weight of each of the 8 positions: α^7, α^6, …, α^1, α^0 (α = 2). */
export const POSITION_WEIGHTS: readonly number[] = Array.from({ length: REFERENCE_LENGTH }, (_, i) => {
  let w = 1;
  for (let k = 0; k < REFERENCE_LENGTH - 1 - i; k++) w = gf32Multiply(w, 2);
  return w;
});

function weightedSum(values: readonly number[]): number {
  let sum = 0;
  values.forEach((v, i) => {
    sum ^= gf32Multiply(POSITION_WEIGHTS[i] ?? 0, v); // addition in GF(2^5) is XOR
  });
  return sum;
}

function valuesOf(symbols: string): number[] | null {
  const values: number[] = [];
  for (const symbol of symbols) {
    const v = SYMBOL_VALUE.get(symbol);
    if (v === undefined) return null;
    values.push(v);
  }
  return values;
}

/** The check symbol for a 7-symbol canonical payload (throws on anything else). */
export function computeCheckSymbol(payload: string): string {
  const values = payload.length === PAYLOAD_LENGTH ? valuesOf(payload) : null;
  if (!values) throw new RangeError(`payload must be ${PAYLOAD_LENGTH} Crockford base32 symbols`);
  return REFERENCE_ALPHABET.charAt(weightedSum(values));
}

function display(canonical: string): string {
  return `${canonical.slice(0, 4)}-${canonical.slice(4)}`;
}

/** A new random reference in display form, e.g. `7K4M-9QX2`. */
export function generateReference(): string {
  let payload = '';
  for (let i = 0; i < PAYLOAD_LENGTH; i++) payload += REFERENCE_ALPHABET.charAt(randomInt(32));
  return display(payload + computeCheckSymbol(payload));
}

export type ParseReferenceResult =
  { ok: true; reference: string } | { ok: false; reason: 'format' | 'check' };

/** Generous bound so that pathological inputs are rejected before any work is done. */
const MAX_INPUT_LENGTH = 64;

/**
 * Accepts what a person may type or read over the phone: surrounding/embedded spaces and dashes,
 * lower case, full-width characters, and the Crockford reading aids O→0, I→1, L→1.
 * Returns the canonical display form `XXXX-XXXX`.
 */
export function parseReference(input: string): ParseReferenceResult {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return { ok: false, reason: 'format' };
  const symbols = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-\u2010-\u2015\u2212]/gu, '')
    .replace(/[OIL]/g, (c) => READING_AIDS[c] ?? c);
  if (symbols.length !== REFERENCE_LENGTH) return { ok: false, reason: 'format' };
  const values = valuesOf(symbols);
  if (!values) return { ok: false, reason: 'format' };
  if (weightedSum(values) !== 0) return { ok: false, reason: 'check' };
  return { ok: true, reference: display(symbols) };
}

export function isValidReference(input: string): boolean {
  return parseReference(input).ok;
}
