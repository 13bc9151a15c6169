import { describe, expect, it } from 'vitest';
import { decodeBytes, detectEncoding, encodeText, type Encoding } from './encoding.ts';

const csv = (words: string) =>
  `Date received,Product,Consumer complaint narrative,Complaint ID\r\n` +
  Array.from(
    { length: 20 },
    (_, i) => `2020-03-${String((i % 28) + 1).padStart(2, '0')},Mortgage,"${words} ${i}",${1000 + i}`,
  ).join('\r\n');

describe('detectEncoding', () => {
  it('follows a byte-order mark', () => {
    expect(detectEncoding(encodeText('a,b', 'utf-8', true))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(encodeText('a,b', 'utf-16le'))).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(encodeText('a,b', 'utf-16be'))).toEqual({ encoding: 'utf-16be', bomLength: 2 });
  });

  it('recognises UTF-16 without a mark by its NUL bytes', () => {
    expect(detectEncoding(encodeText(csv('hello'), 'utf-16le', false)).encoding).toBe('utf-16le');
    expect(detectEncoding(encodeText(csv('hello'), 'utf-16be', false)).encoding).toBe('utf-16be');
  });

  it('takes plain ASCII and valid UTF-8 as UTF-8', () => {
    expect(detectEncoding(encodeText(csv('plain words'), 'utf-8', false)).encoding).toBe('utf-8');
    expect(detectEncoding(encodeText(csv('café 投诉 شكوى zażółć'), 'utf-8', false)).encoding).toBe('utf-8');
  });

  const cases: Array<[Encoding, string]> = [
    ['windows-1252', 'Le café était fermé, déjà vu, naïve façade, Müller, señor'],
    ['windows-1250', 'Zażółć gęślą jaźń, pożyczka ściągnięta w Łodzi, źle naliczone'],
    ['windows-1256', 'قدمت شكوى إلى البنك بسبب الرسوم على حسابي ولم يرد أحد'],
    ['gb18030', '我向银行投诉信用卡年费问题，账户被错误扣款，要求退款'],
  ];
  for (const [encoding, words] of cases) {
    it(`guesses ${encoding} and decodes it back exactly`, () => {
      const text = csv(words);
      const bytes = encodeText(text, encoding, false);
      const detected = detectEncoding(bytes);
      expect(detected.encoding).toBe(encoding);
      expect(decodeBytes(bytes, detected)).toBe(text);
    });
  }

  it('decodes every encoding with its mark removed', () => {
    for (const encoding of ['utf-8', 'utf-16le', 'utf-16be'] as const) {
      expect(decodeBytes(encodeText('x,投诉\r\n', encoding, true))).toBe('x,投诉\r\n');
    }
  });

  it('never throws on arbitrary bytes', () => {
    const bytes = new Uint8Array(5000).map((_, i) => (i * 7919) % 256);
    expect(() => decodeBytes(bytes)).not.toThrow();
  });
});
