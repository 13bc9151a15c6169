import { describe, expect, it } from 'vitest';
import { languages } from '../../shared/vocabulary.ts';
import { en } from './en.ts';
import { notificationKinds, renderNotification, templates } from './render.ts';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

function valueAt(o: object, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], o);
}

describe('notification templates (CHAN-2, CHAN-4, I18N-1)', () => {
  it('has every string in every language, with the same placeholders as English', () => {
    const paths = keys(en);
    for (const language of languages) {
      for (const path of paths) {
        const value = valueAt(templates[language], path);
        expect(typeof value === 'string' && value.trim().length > 0, `${language}.${path}`).toBe(true);
        const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(placeholders(value as string), `${language}.${path}`).toEqual(placeholders(valueAt(en, path) as string));
      }
    }
  });

  it('renders every kind in every language as subject, text, HTML and SMS, right to left for Arabic and Persian', () => {
    for (const language of languages) {
      for (const kind of notificationKinds) {
        const r = renderNotification({
          kind,
          language,
          name: 'Kim <b>&</b>',
          reference: '7K4M-9QX2',
          receivedAt: new Date('2025-03-04T10:00:00Z'),
          dueAt: new Date('2025-04-29T10:00:00Z'),
          trackingUrl: 'https://redress.example/track/7K4M-9QX2',
          surveyUrl: 'https://redress.example/survey/7K4M-9QX2',
          message: 'Please send the <statement>.',
          outcome: 'partly_upheld',
          reasons: 'Part of the fee was wrong.',
          remedies: ['Refund: 25'],
          reason: 'Not a service we provide.',
          timeZone: 'UTC',
        });
        const where = `${language}/${kind}`;
        expect(r.subject, where).toContain('7K4M-9QX2');
        expect(r.subject, where).not.toMatch(/[{}]/);
        expect(r.text, where).not.toMatch(/\{\w+\}/);
        expect(r.html, where).not.toMatch(/\{\w+\}/);
        expect(r.sms, where).toContain('7K4M-9QX2');
        expect(r.html, where).toContain(`lang="${language}"`);
        expect(r.html, where).toContain(language === 'ar' || language === 'fa' ? 'dir="rtl"' : 'dir="ltr"');
        expect(r.dir).toBe(language === 'ar' || language === 'fa' ? 'rtl' : 'ltr');
        // user-supplied text is escaped in HTML
        expect(r.html, where).not.toContain('<b>&</b>');
        if (kind === 'information_request' || kind === 'message') expect(r.html).toContain('&lt;statement&gt;');
        if (kind === 'acknowledgement') expect(r.html).toContain('href="https://redress.example/track/7K4M-9QX2"');
        if (kind === 'survey') expect(r.text).toContain('https://redress.example/survey/7K4M-9QX2');
        if (kind === 'decision') expect(r.text).toContain(templates[language].outcomes.partly_upheld);
      }
    }
  });

  it('writes dates in the language (Persian calendar digits for fa) and leaves out the due date line when there is none', () => {
    const base = { kind: 'acknowledgement' as const, name: null, reference: '7K4M-9QX2', receivedAt: new Date('2025-03-04T10:00:00Z'), trackingUrl: 'https://x/t', timeZone: 'UTC' };
    expect(renderNotification({ ...base, language: 'en' }).text).toContain('4 March 2025');
    expect(renderNotification({ ...base, language: 'nl' }).text).toContain('4 maart 2025');
    expect(renderNotification({ ...base, language: 'fa' }).text).toMatch(/[۰-۹]/);
    expect(renderNotification({ ...base, language: 'en' }).text).not.toContain('We aim to send you our response by');
    expect(renderNotification({ ...base, language: 'en', dueAt: new Date('2025-04-29T00:00:00Z') }).text).toContain('29 April 2025');
    expect(renderNotification({ ...base, language: 'xx' }).language).toBe('en');
  });
});
