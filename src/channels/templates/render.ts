import { languages, rtlLanguages, type Language } from '../../shared/vocabulary.ts';
import { ar } from './ar.ts';
import { en } from './en.ts';
import { fa } from './fa.ts';
import { nl } from './nl.ts';
import { pl } from './pl.ts';
import type { TemplateStrings } from './types.ts';
import { zh } from './zh.ts';

export const templates: Record<Language, TemplateStrings> = { en, ar, fa, zh, pl, nl };

export const notificationKinds = ['acknowledgement', 'message', 'information_request', 'decision', 'closure', 'survey', 'withdrawn', 'out_of_scope', 'portal_link'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

const LOCALES: Record<Language, string> = { en: 'en-GB', ar: 'ar', fa: 'fa-IR', zh: 'zh-CN', pl: 'pl-PL', nl: 'nl-NL' };

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormatFor(language: Language, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${language}|${timeZone ?? ''}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', ...(timeZone ? { timeZone } : {}) });
    dateFormats.set(key, f);
  }
  return f;
}

export interface RenderInput {
  kind: NotificationKind;
  language: string;
  name: string | null;
  reference: string;
  receivedAt: Date;
  dueAt?: Date | null;
  trackingUrl: string;
  surveyUrl?: string;
  /** Free text written by staff (the request, the message, the letter). */
  message?: string | null;
  outcome?: 'upheld' | 'partly_upheld' | 'not_upheld' | null;
  reasons?: string | null;
  remedies?: string[];
  /** Out-of-scope reason. */
  reason?: string | null;
  /** A new portal secret (portal_link, when staff reissued the credentials). */
  secret?: string | null;
  timeZone?: string;
}

export interface Rendered {
  language: Language;
  dir: 'ltr' | 'rtl';
  subject: string;
  text: string;
  html: string;
  sms: string;
}

type Block = { kind: 'p'; text: string } | { kind: 'quote'; text: string } | { kind: 'field'; label: string; text: string };

export const asLanguage = (l: string | null | undefined): Language => ((languages as readonly string[]).includes(l ?? '') ? (l as Language) : 'en');

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Renders one notification as subject, plain text, HTML and SMS text in the complainant's language. Arabic and
 * Persian are laid out right to left (`dir="rtl"`), with the reference and links isolated as left-to-right runs.
 */
export function renderNotification(input: RenderInput): Rendered {
  const language = asLanguage(input.language);
  const t = templates[language];
  const rtl = rtlLanguages.includes(language);
  const dateFormat = dateFormatFor(language, input.timeZone);
  const values: Record<string, string> = {
    name: input.name ?? '',
    reference: input.reference,
    receivedDate: dateFormat.format(input.receivedAt),
    dueDate: input.dueAt ? dateFormat.format(input.dueAt) : '',
    trackingUrl: input.trackingUrl,
    surveyUrl: input.surveyUrl ?? input.trackingUrl,
    outcome: input.outcome ? t.outcomes[input.outcome] : '',
    secret: input.secret ?? '',
  };
  /** Values that are left-to-right runs (isolated inside right-to-left text). */
  const ltr = new Set(['reference', 'trackingUrl', 'surveyUrl', 'secret']);
  const fillText = (s: string) =>
    s.replace(/\{(\w+)\}/g, (_, k: string) => {
      const v = values[k] ?? '';
      return rtl && ltr.has(k) ? `\u2068${v}\u2069` : v;
    });
  const fillHtml = (s: string) =>
    escapeHtml(s).replace(/\{(\w+)\}/g, (_, k: string) => {
      const v = escapeHtml(values[k] ?? '');
      if (k === 'trackingUrl' || k === 'surveyUrl') return `<a href="${v}" dir="ltr">${v}</a>`;
      if (k === 'reference' || k === 'secret') return `<bdi dir="ltr"><strong>${v}</strong></bdi>`;
      return v;
    });

  const blocks: Block[] = [];
  const p = (text: string) => blocks.push({ kind: 'p', text });
  let subject: string;
  let sms: string;
  switch (input.kind) {
    case 'acknowledgement': {
      const a = t.acknowledgement;
      subject = a.subject;
      sms = a.sms;
      p(a.heading);
      p(a.received);
      if (input.message) blocks.push({ kind: 'quote', text: input.message });
      p(a.whatNext);
      if (input.dueAt) p(a.due);
      p(a.track);
      p(a.reply);
      break;
    }
    case 'message':
      subject = t.message.subject;
      sms = t.message.sms;
      p(t.message.intro);
      blocks.push({ kind: 'quote', text: input.message ?? '' });
      p(t.acknowledgement.reply);
      p(t.acknowledgement.track);
      break;
    case 'information_request':
      subject = t.informationRequest.subject;
      sms = t.informationRequest.sms;
      p(t.informationRequest.intro);
      blocks.push({ kind: 'quote', text: input.message ?? '' });
      p(t.informationRequest.after);
      break;
    case 'decision':
      subject = t.decision.subject;
      sms = t.decision.sms;
      p(t.decision.intro);
      if (input.reasons) blocks.push({ kind: 'field', label: t.labels.reasons, text: input.reasons });
      if (input.remedies && input.remedies.length > 0) blocks.push({ kind: 'field', label: t.labels.remedies, text: input.remedies.join('\n') });
      if (input.message && input.message !== input.reasons) blocks.push({ kind: 'quote', text: input.message });
      p(t.decision.options);
      p(t.acknowledgement.track);
      break;
    case 'closure':
      subject = t.closure.subject;
      sms = t.closure.sms;
      p(t.closure.body);
      p(t.closure.reopen);
      break;
    case 'survey':
      subject = t.survey.subject;
      sms = t.survey.sms;
      p(t.survey.body);
      break;
    case 'withdrawn':
      subject = t.withdrawn.subject;
      sms = t.withdrawn.sms;
      p(t.withdrawn.body);
      break;
    case 'portal_link':
      subject = t.portalLink.subject;
      sms = t.portalLink.sms;
      p(t.portalLink.body);
      if (input.secret) p(t.portalLink.secret);
      break;
    case 'out_of_scope':
      subject = t.outOfScope.subject;
      sms = t.outOfScope.sms;
      p(t.outOfScope.body);
      if (input.reason) blocks.push({ kind: 'field', label: t.labels.reason, text: input.reason });
      p(t.outOfScope.disagree);
      break;
  }
  const greeting = input.name ? t.greeting : t.greetingAnonymous;
  const footer = `${t.labels.reference}: {reference}`;

  const textParts = [fillText(greeting)];
  for (const b of blocks) {
    if (b.kind === 'p') textParts.push(fillText(b.text));
    else if (b.kind === 'quote') textParts.push(b.text.split('\n').map((l) => `> ${l}`).join('\n'));
    else textParts.push(`${b.label}:\n${b.text}`);
  }
  textParts.push(t.signature, fillText(footer));
  const text = `${textParts.join('\n\n')}\n`;

  const style = 'margin:0 0 1em 0;';
  const htmlBlocks = blocks.map((b) => {
    if (b.kind === 'p') return `<p style="${style}">${fillHtml(b.text)}</p>`;
    const body = escapeHtml(b.text).replace(/\n/g, '<br>');
    if (b.kind === 'quote') return `<blockquote style="margin:0 0 1em 0;padding:0.5em 1em;border-inline-start:3px solid #888;background:#f4f4f4">${body}</blockquote>`;
    return `<p style="${style}"><strong>${escapeHtml(b.label)}</strong><br>${body}</p>`;
  });
  const dir = rtl ? 'rtl' : 'ltr';
  const html = [
    '<!doctype html>',
    `<html lang="${language}" dir="${dir}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(fillText(subject).replace(/[\u2068\u2069]/g, ''))}</title></head>`,
    `<body dir="${dir}" style="margin:0;padding:1em;font-family:system-ui,-apple-system,'Segoe UI',Tahoma,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;text-align:start">`,
    `<div dir="${dir}" style="max-width:40em">`,
    `<p style="${style}">${fillHtml(greeting)}</p>`,
    ...htmlBlocks,
    `<p style="${style}">${escapeHtml(t.signature)}</p>`,
    `<p style="margin:2em 0 0 0;font-size:13px;color:#555">${fillHtml(footer)}</p>`,
    '</div></body></html>',
  ].join('\n');

  return {
    language,
    dir,
    // Subjects stay free of isolate marks: they are matched against the reference when the complainant replies.
    subject: subject.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? ''),
    text,
    html,
    sms: sms.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? ''),
  };
}
