import type { Language } from '../../shared/vocabulary.ts';
import type { Formatters, Translate } from '../i18n.ts';
import type { Html } from '../html.ts';

/** Everything a page needs to render in the visitor's language. */
export interface View {
  lang: Language;
  dir: 'ltr' | 'rtl';
  t: Translate;
  fmt: Formatters;
  /** The current path, for the language switcher. */
  path: string;
  /** The CSRF token of one form on this page. */
  csrf: (form: string) => string;
  site: { name: string; footer: Html };
}

/** A field's problem, already in the visitor's language; `field` is the form field's name (anchor `#f-<field>`). */
export interface FieldError {
  field: string;
  message: string;
}

export type Errors = FieldError[];
export const errorFor = (errors: Errors, field: string) => errors.find((e) => e.field === field)?.message;
