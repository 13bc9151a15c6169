import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  POSITION_WEIGHTS,
  REFERENCE_ALPHABET,
  computeCheckSymbol,
  generateReference,
  gf32Multiply,
  isValidReference,
  parseReference,
} from './reference.ts';

const A = REFERENCE_ALPHABET;
const canonical = (ref: string) => ref.replace('-', '');
const display = (s: string) => `${s.slice(0, 4)}-${s.slice(4)}`;
const withCheck = (payload: string) => payload + computeCheckSymbol(payload);
const replaceAt = (s: string, i: number, c: string) => s.slice(0, i) + c + s.slice(i + 1);
const swap = (s: string, i: number, j: number) => {
  const chars = [...s];
  [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  return chars.join('');
};

const FIXED_PAYLOADS = [
  '0000000',
  'ZZZZZZZ',
  '7K4M9QX',
  '0123456',
  'ABCDEFG',
  'HJKMNPQ',
  'RSTVWXY',
  'Z0Z0Z0Z',
];
const payloadArb = fc.string({ unit: fc.constantFrom(...A), minLength: 7, maxLength: 7 });

describe('the GF(32) arithmetic behind the check symbol', () => {
  it('alphabet is Crockford base32: 32 distinct symbols, no I L O U', () => {
    expect(new Set(A).size).toBe(32);
    expect(A).not.toMatch(/[ILOU]/);
  });

  it('multiplication is a field: commutative, 1 is neutral, every non-zero element has an inverse', () => {
    for (let a = 0; a < 32; a++) {
      expect(gf32Multiply(a, 1)).toBe(a);
      expect(gf32Multiply(a, 0)).toBe(0);
      for (let b = 0; b < 32; b++) expect(gf32Multiply(a, b)).toBe(gf32Multiply(b, a));
      if (a > 0) expect([...Array(32).keys()].filter((b) => gf32Multiply(a, b) === 1)).toHaveLength(1);
    }
  });

  it('has no zero divisors, so w·d = 0 only when w = 0 or d = 0', () => {
    for (let a = 1; a < 32; a++) for (let b = 1; b < 32; b++) expect(gf32Multiply(a, b)).not.toBe(0);
  });

  it('uses eight non-zero, pairwise distinct, pairwise non-opposite weights', () => {
    expect(POSITION_WEIGHTS).toHaveLength(8);
    expect(POSITION_WEIGHTS.every((w) => w > 0 && w < 32)).toBe(true);
    expect(new Set(POSITION_WEIGHTS).size).toBe(8); // in characteristic 2, w_i + w_j = 0 iff w_i = w_j
    expect(POSITION_WEIGHTS[7]).toBe(1);
  });
});

describe('check symbol: every single substitution and every transposition is caught', () => {
  it('exhaustively for fixed references: all 8 × 31 substitutions', () => {
    for (const payload of FIXED_PAYLOADS) {
      const ref = withCheck(payload);
      expect(isValidReference(ref)).toBe(true);
      let tried = 0;
      for (let i = 0; i < 8; i++) {
        for (const c of A) {
          if (c === ref[i]) continue;
          tried++;
          expect(parseReference(replaceAt(ref, i, c)), `${ref} pos ${i} → ${c}`).toEqual({
            ok: false,
            reason: 'check',
          });
        }
      }
      expect(tried).toBe(8 * 31);
    }
  });

  it('exhaustively for fixed references: every pair of symbols swapped at every pair of positions', () => {
    for (const payload of FIXED_PAYLOADS) {
      const base = withCheck(payload);
      for (let i = 0; i < 8; i++) {
        for (let j = i + 1; j < 8; j++) {
          for (const a of A) {
            for (const b of A) {
              if (a === b) continue;
              // put a at i and b at j, fix up the check symbol (unless it is one of the swapped positions)
              let ref = replaceAt(replaceAt(base, i, a), j, b);
              if (j < 7) ref = withCheck(ref.slice(0, 7));
              else if (!isValidReference(ref)) continue; // only valid references can be mistyped
              expect(isValidReference(swap(ref, i, j)), `${ref} swap ${i},${j}`).toBe(false);
            }
          }
        }
      }
    }
  });

  it('structurally for ALL references: the sum changes by w·(a−b) ≠ 0 or (w_i−w_j)·(a−b) ≠ 0', () => {
    // The check is linear over GF(32): the change in the weighted sum caused by an error does not
    // depend on the other symbols. So enumerating every (position, a, b) covers all 32^7 references.
    for (let a = 0; a < 32; a++) {
      for (let b = 0; b < 32; b++) {
        if (a === b) continue;
        const d = a ^ b;
        for (let i = 0; i < 8; i++) {
          expect(gf32Multiply(POSITION_WEIGHTS[i]!, d)).not.toBe(0); // substitution
          for (let j = i + 1; j < 8; j++) {
            expect(gf32Multiply(POSITION_WEIGHTS[i]! ^ POSITION_WEIGHTS[j]!, d)).not.toBe(0); // transposition
          }
        }
      }
    }
  });

  it('property: a random substitution in a random reference is caught', () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(7), fc.constantFrom(...A), (payload, i, c) => {
        const ref = withCheck(payload);
        fc.pre(ref[i] !== c);
        expect(parseReference(display(replaceAt(ref, i, c)))).toEqual({ ok: false, reason: 'check' });
      }),
      { numRuns: 5000 },
    );
  });

  it('property: a random adjacent transposition of distinct symbols is caught', () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(6), (payload, i) => {
        const ref = withCheck(payload);
        fc.pre(ref[i] !== ref[i + 1]);
        expect(isValidReference(swap(ref, i, i + 1))).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('property: twin errors (aa → bb) at adjacent positions are caught', () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(5), fc.constantFrom(...A), (payload, i, b) => {
        const a = payload[i]!;
        fc.pre(a !== b);
        const ref = withCheck(replaceAt(payload, i + 1, a));
        expect(isValidReference(replaceAt(replaceAt(ref, i, b), i + 1, b))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('why not Luhn mod 32: it misses the 0 ↔ Z transposition', () => {
    const luhnValid = (s: string) => {
      let sum = 0;
      [...s].reverse().forEach((c, k) => {
        let v = A.indexOf(c);
        if (k % 2 === 1) v = Math.floor((2 * v) / 32) + ((2 * v) % 32);
        sum += v;
      });
      return sum % 32 === 0;
    };
    const luhnCheck = (p: string) => [...A].find((c) => luhnValid(p + c))!;
    const ref = '0Z00000' + luhnCheck('0Z00000');
    expect(luhnValid(ref) && luhnValid(swap(ref, 0, 1))).toBe(true); // Luhn: undetected
    const ours = withCheck('0Z00000');
    expect(isValidReference(swap(ours, 0, 1))).toBe(false); // ours: detected
  });
});

describe('generateReference', () => {
  it('produces valid references in display form', () => {
    for (let n = 0; n < 2000; n++) {
      const ref = generateReference();
      expect(ref).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(parseReference(ref)).toEqual({ ok: true, reference: ref });
    }
  });

  it('is random: no collisions in a sample and every symbol appears in every payload position', () => {
    const refs = Array.from({ length: 5000 }, generateReference);
    expect(new Set(refs).size).toBe(refs.length);
    for (let i = 0; i < 7; i++) {
      expect(new Set(refs.map((r) => canonical(r)[i])).size).toBe(32);
    }
  });
});

describe('parseReference normalisation', () => {
  const ref = display(withCheck('7K4M9QX'));
  const lowerish = ref.toLowerCase();

  it.each([
    ['display form', ref],
    ['no dash', canonical(ref)],
    ['lower case', lowerish],
    ['surrounding whitespace', `  ${ref}\t\n`],
    ['spaces and dashes anywhere', ` ${[...canonical(ref)].join(' - ')} `],
    ['unicode dashes', ref.replace('-', '\u2013')],
    ['full-width characters', [...ref].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('')],
  ])('accepts %s', (_label, input) => {
    expect(parseReference(input)).toEqual({ ok: true, reference: ref });
  });

  it('applies the Crockford reading aids O→0, I→1, L→1 (either case)', () => {
    const withDigits = withCheck('10A0101');
    expect(parseReference('IOA0-LOI' + withDigits[7])).toEqual({
      ok: true,
      reference: display(withDigits),
    });
    expect(parseReference('ioa0lol' + withDigits[7]!.toLowerCase())).toEqual({
      ok: true,
      reference: display(withDigits),
    });
  });

  it.each([
    ['empty', ''],
    ['too short', canonical(ref).slice(0, 7)],
    ['too long', canonical(ref) + '0'],
    ['U is not a symbol', 'U' + canonical(ref).slice(1)],
    ['punctuation', ref.replace('-', '.')],
    ['non-Latin', '٧K4M-9QX2'],
    ['huge input', '0'.repeat(10_000)],
  ])('rejects %s as a format error', (_label, input) => {
    expect(parseReference(input)).toEqual({ ok: false, reason: 'format' });
    expect(isValidReference(input)).toBe(false);
  });

  it('rejects a wrong check symbol as a check error', () => {
    const wrong = replaceAt(canonical(ref), 7, canonical(ref)[7] === '0' ? '1' : '0');
    expect(parseReference(wrong)).toEqual({ ok: false, reason: 'check' });
  });

  it('property: parse ∘ display is the identity, and parsing is idempotent', () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        const shown = display(withCheck(payload));
        const parsed = parseReference(shown.toLowerCase());
        expect(parsed).toEqual({ ok: true, reference: shown });
        if (parsed.ok) expect(parseReference(parsed.reference)).toEqual(parsed);
      }),
    );
  });

  it('property: never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const r = parseReference(s);
        expect(r.ok || r.reason === 'format' || r.reason === 'check').toBe(true);
      }),
    );
  });

  it('computeCheckSymbol rejects malformed payloads', () => {
    expect(() => computeCheckSymbol('ABC')).toThrow(RangeError);
    expect(() => computeCheckSymbol('ABCDEFU')).toThrow(RangeError);
  });
});
