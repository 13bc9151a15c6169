import { describe, expect, it } from 'vitest';
import { searchSnippet } from './highlight.ts';

const marks = (s: string | null) => [...(s ?? '').matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]);

describe('searchSnippet (WORK-1: matches highlighted in every script)', () => {
  it('marks whole words and prefixes, case and accents folded, and escapes the rest', () => {
    const s = searchSnippet('I was charged <twice> for the Overdraft fee & the coffee.', 'overdraft FEE');
    expect(marks(s)).toEqual(['Overdraft', 'fee']);
    expect(s).toContain('&lt;twice&gt;');
    expect(s).toContain('&amp;');
    expect(marks(searchSnippet('Opłata za żółć', 'zolc'))).toEqual(['żółć']);
    expect(marks(searchSnippet('De rente was geïnteresseerd', 'geinter'))).toEqual(['geïnteresseerd']);
  });

  it('marks Arabic and Persian words through letter forms, marks and the article', () => {
    expect(marks(searchSnippet('تم خصم الرسوم مرتين', 'رسوم'))).toEqual(['رسوم']);
    expect(marks(searchSnippet('دفعت بالرسوم كاملة', 'الرسوم'))).toEqual(['رسوم']);
    expect(marks(searchSnippet('کارت من مسدود شد', 'كارت'))).toEqual(['کارت']);
    expect(marks(searchSnippet('مبلغ ۲۵ پوند', '25'))).toEqual(['۲۵']);
  });

  it('marks Chinese without spaces: the run, or else its bigrams', () => {
    expect(marks(searchSnippet('我的信用卡被重复扣款了两次', '信用卡'))).toEqual(['信用卡']);
    expect(marks(searchSnippet('信用额度和银行卡', '信用卡'))).toEqual(['信用']);
    expect(marks(searchSnippet('我的信用卡被扣款', '扣款'))).toEqual(['扣款']);
  });

  it('returns a window around the first match and null when nothing matches', () => {
    const long = `${'word '.repeat(200)}needle ${'more '.repeat(200)}`;
    const s = searchSnippet(long, 'needle')!;
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s.length).toBeLessThan(300);
    expect(marks(s)).toEqual(['needle']);
    expect(searchSnippet('nothing here', 'absent')).toBeNull();
  });
});
