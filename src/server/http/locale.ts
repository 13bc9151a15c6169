import { z } from 'zod';
import { languages, type Language } from '../../shared/vocabulary.ts';

/** Picks the user's language from `?lang=` or Accept-Language, among the supported ones. */
export function requestLanguage(headers: Record<string, string | string[] | undefined>, query?: unknown): Language {
  const lang = (query as { lang?: unknown } | undefined)?.lang;
  if (typeof lang === 'string' && (languages as readonly string[]).includes(lang)) return lang as Language;
  const header = headers['accept-language'];
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranked = value
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) if ((languages as readonly string[]).includes(tag)) return tag as Language;
  return 'en';
}

const zodLocales = {
  en: z.locales.en(),
  ar: z.locales.ar(),
  fa: z.locales.fa(),
  zh: z.locales.zhCN(),
  pl: z.locales.pl(),
  nl: z.locales.nl(),
} as const;

/** Re-words a zod issue in the user's language; our own refinement messages (custom) keep their text. */
export function localiseIssue(issue: z.core.$ZodIssue, lang: Language): string {
  if (issue.code === 'custom' || lang === 'en') return issue.message;
  const out = zodLocales[lang].localeError(issue as never);
  if (typeof out === 'string') return out;
  return out?.message ?? issue.message;
}

/** Problem titles by code, in the six seed languages. */
const titles: Record<string, Record<Language, string>> = {
  validation_failed: {
    en: 'Some fields are missing or invalid',
    ar: 'بعض الحقول مفقودة أو غير صالحة',
    fa: 'برخی از فیلدها خالی یا نامعتبر هستند',
    zh: '部分字段缺失或无效',
    pl: 'Niektóre pola są puste lub nieprawidłowe',
    nl: 'Sommige velden ontbreken of zijn ongeldig',
  },
  not_found: {
    en: 'Not found',
    ar: 'غير موجود',
    fa: 'یافت نشد',
    zh: '未找到',
    pl: 'Nie znaleziono',
    nl: 'Niet gevonden',
  },
  unauthenticated: {
    en: 'Sign in or give an API key',
    ar: 'سجّل الدخول أو قدّم مفتاح API',
    fa: 'وارد شوید یا کلید API را ارائه دهید',
    zh: '请登录或提供 API 密钥',
    pl: 'Zaloguj się lub podaj klucz API',
    nl: 'Meld u aan of geef een API-sleutel op',
  },
  forbidden: {
    en: 'You are not allowed to do this',
    ar: 'غير مسموح لك بهذا الإجراء',
    fa: 'شما اجازهٔ این کار را ندارید',
    zh: '您无权执行此操作',
    pl: 'Nie masz uprawnień do tej czynności',
    nl: 'U mag dit niet doen',
  },
  conflict: {
    en: 'This cannot be done in the complaint\'s current state',
    ar: 'لا يمكن تنفيذ هذا في الحالة الحالية للشكوى',
    fa: 'این کار در وضعیت فعلی شکایت ممکن نیست',
    zh: '在投诉的当前状态下无法执行此操作',
    pl: 'Nie można tego zrobić w obecnym stanie skargi',
    nl: 'Dit kan niet in de huidige status van de klacht',
  },
  rate_limited: {
    en: 'Too many requests: please wait a moment and try again',
    ar: 'طلبات كثيرة جدًا: يرجى الانتظار قليلًا ثم المحاولة مجددًا',
    fa: 'درخواست‌ها بیش از حد است: لطفاً کمی صبر کنید و دوباره تلاش کنید',
    zh: '请求过多：请稍候再试',
    pl: 'Zbyt wiele żądań: poczekaj chwilę i spróbuj ponownie',
    nl: 'Te veel verzoeken: wacht even en probeer het opnieuw',
  },
  internal_error: {
    en: 'Something went wrong on our side; nothing you entered was lost, please try again',
    ar: 'حدث خطأ من جهتنا؛ لم يُفقد شيء مما أدخلته، يرجى المحاولة مجددًا',
    fa: 'مشکلی از سمت ما پیش آمد؛ چیزی از اطلاعات شما از بین نرفت، لطفاً دوباره تلاش کنید',
    zh: '我们这边出了问题；您输入的内容没有丢失，请重试',
    pl: 'Wystąpił błąd po naszej stronie; nic z wprowadzonych danych nie zginęło, spróbuj ponownie',
    nl: 'Er ging iets mis aan onze kant; niets van wat u invoerde is verloren, probeer het opnieuw',
  },
};

export function problemTitle(kind: string, lang: Language, fallback: string): string {
  return titles[kind]?.[lang] ?? fallback;
}
