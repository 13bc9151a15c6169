import { describe, expect, it } from 'vitest';
import { demoComplaintsByLanguage, demoLanguages } from '../demo/corpus.ts';
import { DUPLICATE_THRESHOLD, similarity } from './duplicates.ts';

const addendum: Record<string, string> = {
  en: ' I already wrote to you about this last week.',
  ar: ' لقد كتبت إليكم بشأن هذا الأسبوع الماضي.',
  fa: ' هفته گذشته هم در این باره برایتان نوشتم.',
  zh: '我上周已经就此事写信给你们了。',
  pl: ' Pisałem już do Państwa w tej sprawie w zeszłym tygodniu.',
  nl: ' Ik heb u hier vorige week al over geschreven.',
};

describe('duplicate similarity in the six languages (INT-7, I18N-2)', () => {
  for (const language of demoLanguages) {
    it(`${language}: a resubmission with edits scores above the threshold, different complaints below it`, () => {
      const list = demoComplaintsByLanguage[language];
      for (const c of list) {
        const d = c.description;
        const resubmitted = d.slice(0, Math.floor(d.length * 0.8)) + addendum[language];
        expect(similarity(d, resubmitted), d.slice(0, 40)).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
        expect(similarity(d, d)).toBe(1);
      }
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          expect(similarity(list[i]!.description, list[j]!.description)).toBeLessThan(DUPLICATE_THRESHOLD);
        }
      }
    });
  }

  it('normalises scripts: case, diacritics, Arabic letter forms and full-width characters do not hide a duplicate', () => {
    expect(similarity('Opłata za przelew została pobrana dwa razy', 'OPLATA ZA PRZELEW ZOSTALA POBRANA DWA RAZY')).toBe(1);
    expect(similarity('تم خصم الرسوم مرتين من حسابي', 'تم خصم الرسوم مرّتين من حسابي')).toBe(1);
    expect(similarity('我的信用卡被重复扣款两次', '我的信用卡被重复扣款两次！')).toBe(1);
    expect(similarity('a b', 'c d')).toBe(0);
  });
});
