import { describe, expect, it } from 'vitest';
import { generateReference } from '../../complaints/reference.ts';
import { detectLanguage, htmlToText, stripQuotedReply } from './text.ts';
import { caseThreadId, complaintIdFromThreadId, messageIdsIn, plusAddress, referenceFromPlusAddress, referencesInText } from './threading.ts';

describe('matching replies to cases', () => {
  it('finds valid references in subjects, however they are written, and ignores words and typos', () => {
    const ref = generateReference();
    expect(referencesInText(`Re: Your complaint ${ref}`)).toEqual([ref]);
    expect(referencesInText(`Re: [${ref.toLowerCase()}] ok`)).toEqual([ref]);
    // Without its dash a reference must contain a digit (an 8-letter word is not one): pick such a reference.
    let withDigit = ref;
    while (!/\d/.test(withDigit)) withDigit = generateReference();
    expect(referencesInText(`Re: ${withDigit.replace('-', '')}`)).toEqual([withDigit]);
    const lettersOnly = 'RCFD-BFYB'; // a valid reference of letters only is found only when written with its dash
    expect(referencesInText(`Re: ${lettersOnly}`)).toEqual([lettersOnly]);
    expect(referencesInText('COMPLAIN about SHIPMENT')).toEqual([]);
    const typo = ref.slice(0, 8) + (ref[8] === '0' ? '1' : '0');
    expect(referencesInText(`Re: ${typo}`)).toEqual([]);
  });

  it('builds and reads plus-addresses and case thread ids', () => {
    const ref = generateReference();
    const address = plusAddress('Redress <complaints@redress.example>', ref);
    expect(address).toBe(`complaints+${ref}@redress.example`);
    expect(referenceFromPlusAddress(`Complaints <${address}>`)).toBe(ref);
    expect(referenceFromPlusAddress('complaints@redress.example')).toBeNull();
    const id = '0b7f7e36-1d0c-4c57-9a43-0d3f3c8e2c11';
    expect(complaintIdFromThreadId(caseThreadId(id))).toBe(id);
    expect(messageIdsIn(['<a@b> <c@d>', ['<e@f>'], undefined, 'bare@id'])).toEqual(['<a@b>', '<c@d>', '<e@f>', '<bare@id>']);
  });
});

describe('message text', () => {
  it('turns HTML into text and cuts the quoted history of a reply', () => {
    expect(htmlToText('<html><head><style>p{}</style></head><body><p>Hello&nbsp;there</p><p>Line &amp; more<br>next &#1575;</p><script>x()</script></body></html>')).toBe('Hello there\nLine & more\nnext ا');
    expect(stripQuotedReply('New answer.\n\nOn Mon, 3 Mar 2025, Redress wrote:\n> old text\n> more')).toBe('New answer.');
    expect(stripQuotedReply('> only quoted')).toBe('> only quoted');
  });

  it('detects the six languages', () => {
    expect(detectLanguage('I was charged twice for the same order and nobody answers my calls.')).toBe('en');
    expect(detectLanguage('تم خصم المبلغ مرتين من حسابي ولم يرد علي أحد.')).toBe('ar');
    expect(detectLanguage('پول دو بار از حساب من کم شد و کسی پاسخگو نیست.')).toBe('fa');
    expect(detectLanguage('我的订单被重复扣款，没有人回复我。')).toBe('zh');
    expect(detectLanguage('Pobrano ode mnie opłatę dwa razy i nikt nie odpowiada.')).toBe('pl');
    expect(detectLanguage('Ik heb twee keer betaald en niemand reageert op mijn mail.')).toBe('nl');
  });
});
