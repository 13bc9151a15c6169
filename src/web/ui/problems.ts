import i18next from 'i18next';
import type { ApiError } from '../app/api.ts';
import type { Translate } from '../i18n/i18n.tsx';

/**
 * A problem document in words for the user: a known refusal code in their language (conflict of interest,
 * approver is the drafter …), else the server's localised title with its detail.
 */
export function problemText(t: Translate, error: ApiError): string {
  const p = error.problem;
  if (p.status === 0) return t('problem.network');
  if (p.code && i18next.exists(`problem.${p.code}`)) {
    // A refusal names its rule (conflict of interest: the subject, a declared relationship …): say which.
    const rule = typeof p.rule === 'string' && i18next.exists(`assign.reason.${p.rule}`) ? ` ${t(`assign.reason.${p.rule}`)}` : '';
    return t(`problem.${p.code}`) + rule;
  }
  const title = p.title ?? '';
  return p.detail && p.detail !== title ? `${title}: ${p.detail}` : title || t('problem.unknown');
}
