import i18next, { type TOptions } from 'i18next';
import ICU from 'i18next-icu';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import en from './locales/en.json';

export const languages = ['en', 'ar', 'fa', 'zh', 'pl', 'nl'] as const;
export type Language = (typeof languages)[number];
export const rtlLanguages: readonly Language[] = ['ar', 'fa'];
export const languageNames: Record<Language, string> = {
  en: 'English',
  ar: 'العربية',
  fa: 'فارسی',
  zh: '中文',
  pl: 'Polski',
  nl: 'Nederlands',
};
/** The locale used for dates and numbers (Persian with its own calendar and digits, as people there expect). */
export const intlLocales: Record<Language, string> = {
  en: 'en-GB',
  ar: 'ar',
  fa: 'fa-IR',
  zh: 'zh-CN',
  pl: 'pl-PL',
  nl: 'nl-NL',
};

export const isLanguage = (v: unknown): v is Language =>
  typeof v === 'string' && (languages as readonly string[]).includes(v);
export const directionOf = (lang: Language): 'rtl' | 'ltr' => (rtlLanguages.includes(lang) ? 'rtl' : 'ltr');

// Each language other than English is its own chunk, loaded when chosen.
const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Record<string, unknown> }>> = {
  ar: () => import('./locales/ar.json'),
  fa: () => import('./locales/fa.json'),
  zh: () => import('./locales/zh.json'),
  pl: () => import('./locales/pl.json'),
  nl: () => import('./locales/nl.json'),
};

let ready: Promise<unknown> | null = null;
function init() {
  ready ??= i18next.use(ICU).init({
    lng: 'en',
    fallbackLng: 'en',
    resources: { en: { translation: en } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return ready;
}

/** Loads a language's messages (once) and makes it current; sets the page's `lang` and `dir`. */
export async function loadLanguage(lang: Language): Promise<void> {
  await init();
  if (lang !== 'en' && !i18next.hasResourceBundle(lang, 'translation')) {
    const messages = await loaders[lang]();
    i18next.addResourceBundle(lang, 'translation', messages.default, true, true);
  }
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = directionOf(lang);
}

// A capability's screens keep their messages in their own bundle (locales/<feature>/<lang>.json), loaded with them.
const featureLoaders = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');
const loadedFeatures = new Set<string>();

async function loadFeature(feature: string, lang: Language): Promise<void> {
  for (const l of lang === 'en' ? (['en'] as const) : (['en', lang] as const)) {
    const id = `${feature}/${l}`;
    if (loadedFeatures.has(id)) continue;
    const loader = featureLoaders[`./locales/${id}.json`];
    if (!loader) throw new Error(`no messages for ${id}`);
    const messages = await loader();
    await init();
    i18next.addResourceBundle(l, 'translation', messages.default, true, true);
    loadedFeatures.add(id);
  }
}

/** Loads a feature's messages in the current language (and English, the fallback); true once they are there. */
export function useFeatureMessages(feature: string): boolean {
  const { lang } = useContext(I18nContext);
  const [ready, setReady] = useState(
    () => loadedFeatures.has(`${feature}/${lang}`) && loadedFeatures.has(`${feature}/en`),
  );
  useEffect(() => {
    let live = true;
    if (loadedFeatures.has(`${feature}/${lang}`) && loadedFeatures.has(`${feature}/en`)) {
      setReady(true);
      return;
    }
    setReady(false);
    loadFeature(feature, lang).then(
      () => live && setReady(true),
      () => live && setReady(true),
    );
    return () => {
      live = false;
    };
  }, [feature, lang]);
  return ready;
}

export type Translate = (key: string, values?: Record<string, unknown>) => string;

interface I18nValue {
  lang: Language;
  setLanguage: (lang: Language) => void;
}
export const I18nContext = createContext<I18nValue>({ lang: 'en', setLanguage: () => undefined });

export function I18nProvider(props: { value: I18nValue; children: ReactNode }) {
  return <I18nContext.Provider value={props.value}>{props.children}</I18nContext.Provider>;
}

/** The translation function of the current language (components re-render when it changes). */
export function useT(): Translate {
  const { lang } = useContext(I18nContext);
  return useCallback(
    (key: string, values?: Record<string, unknown>) =>
      String(i18next.t(key, { ...(values as TOptions), lng: lang })),
    [lang],
  );
}

export function useLanguage() {
  return useContext(I18nContext);
}

/** Formatting of dates, times and numbers in the user's locale. */
export function useFormat() {
  const { lang } = useContext(I18nContext);
  return useMemo(() => {
    const locale = intlLocales[lang];
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    const number = new Intl.NumberFormat(locale);
    return {
      dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : ''),
      date: (iso: string | null | undefined) =>
        iso ? date.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)) : '',
      number: (n: number) => number.format(n),
      /** "in 3 days", "2 hours ago": the time left until (or since) a moment. */
      relative: (iso: string | null | undefined, now = Date.now()) => {
        if (!iso) return '';
        const ms = new Date(iso).getTime() - now;
        const abs = Math.abs(ms);
        if (abs < 3_600_000) return relative.format(Math.round(ms / 60_000), 'minute');
        if (abs < 2 * 86_400_000) return relative.format(Math.round(ms / 3_600_000), 'hour');
        return relative.format(Math.round(ms / 86_400_000), 'day');
      },
    };
  }, [lang]);
}
