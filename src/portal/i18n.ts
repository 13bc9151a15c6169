import { readFileSync } from 'node:fs';
import i18next, { type i18n } from 'i18next';
import ICU from 'i18next-icu';
import { languages, rtlLanguages, type Language } from '../shared/vocabulary.ts';

/**
 * The portal's messages (I18N-1, I18N-3): one ICU MessageFormat file per language in `locales/`, every key in every
 * language (`npm run i18n:check`). Adding a language is adding one file and its code to `languages`.
 */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

export const localesDir = new URL('./locales/', import.meta.url);

export function loadMessages(lang: string): Record<string, string> {
  return JSON.parse(readFileSync(new URL(`${lang}.json`, localesDir), 'utf8')) as Record<string, string>;
}

/** The locale given to Intl for each language: its own digits, calendar (the Persian calendar for fa) and forms. */
export const intlLocale: Record<Language, string> = {
  en: 'en-GB',
  ar: 'ar',
  fa: 'fa-IR',
  zh: 'zh-CN',
  pl: 'pl-PL',
  nl: 'nl-NL',
};

/** Each language by its own name, for the language switcher and the preferred-language field. */
export const autonyms: Record<Language, string> = {
  en: 'English',
  ar: 'العربية',
  fa: 'فارسی',
  zh: '中文（简体）',
  pl: 'Polski',
  nl: 'Nederlands',
};

/** A left-to-right code (reference, address) inside text of any direction: Unicode isolates keep its order. */
export const isolateLtr = (text: string) => `\u2066${text}\u2069`;

export const directionOf = (lang: Language): 'rtl' | 'ltr' => (rtlLanguages.includes(lang) ? 'rtl' : 'ltr');

let instance: i18n | null = null;
function messages(): i18n {
  if (instance) return instance;
  const created = i18next.createInstance();
  void created.use(ICU).init({
    resources: Object.fromEntries(languages.map((l) => [l, { translation: loadMessages(l) }])),
    lng: 'en',
    fallbackLng: false,
    supportedLngs: [...languages],
    keySeparator: false,
    nsSeparator: false,
    returnNull: false,
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  instance = created;
  return created;
}

/** A translator bound to one language. A missing key shows as the key itself (the check keeps that from shipping). */
export function translator(lang: Language): Translate {
  const t = messages().getFixedT(lang);
  return (key, values) => t(key, values ?? {});
}

/** Dates and numbers in the language's own form, in the organisation's time zone. */
export function formatters(lang: Language, timeZone: string) {
  const locale = intlLocale[lang];
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const number = new Intl.NumberFormat(locale);
  const money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const kilobytes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', unitDisplay: 'short' });
  const megabytes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', unitDisplay: 'short', maximumFractionDigits: 1 });
  return {
    date: (d: Date) => date.format(d),
    dateTime: (d: Date) => dateTime.format(d),
    number: (n: number) => number.format(n),
    money: (n: number) => money.format(n),
    bytes: (n: number) =>
      n < 1024 * 1024 ? kilobytes.format(Math.max(1, Math.round(n / 1024))) : megabytes.format(n / 1024 / 1024),
  };
}
export type Formatters = ReturnType<typeof formatters>;
