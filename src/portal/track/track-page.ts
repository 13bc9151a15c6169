import { html, type Html } from '../html.ts';
import { isolateLtr } from '../i18n.ts';
import { button, hidden, textInput } from '../ui/fields.ts';
import { errorSummary } from '../ui/layout.ts';
import { errorFor, type Errors, type View } from '../ui/view.ts';

/** `/track` (PORT-2): reference + secret, or the private link from the e-mail. */
export function trackPage(
  v: View,
  s: { reference: string; errors: Errors; signedIn: string | null; notice?: 'link_invalid' | 'session_ended' | 'signed_out' | null },
): { title: string; body: Html } {
  const title = v.t('track.title');
  const notices = { link_invalid: 'track.notice.link_invalid', session_ended: 'track.notice.session_ended', signed_out: 'track.notice.signed_out' } as const;
  return {
    title,
    body: html`<h1>${title}</h1>
${errorSummary(v, s.errors)}
${s.notice ? html`<p class="notice" role="status">${v.t(notices[s.notice])}</p>` : ''}
${s.signedIn ? html`<p class="notice">${v.t('track.signed_in', { reference: isolateLtr(s.signedIn) })} <a href="/case">${v.t('track.continue')}</a></p>` : ''}
<p class="lead">${v.t('track.intro')}</p>
<form class="form" method="post" action="/track" accept-charset="utf-8" novalidate data-once>
${hidden('_csrf', v.csrf('track'))}
${textInput(v, {
  name: 'reference',
  label: v.t('track.reference.label'),
  hint: v.t('track.reference.hint'),
  value: s.reference,
  error: errorFor(s.errors, 'reference'),
  required: true,
  autocomplete: 'off',
  dir: 'ltr',
  spellcheck: false,
  width: 'medium',
  maxlength: 20,
})}
${textInput(v, {
  name: 'secret',
  label: v.t('track.secret.label'),
  hint: v.t('track.secret.hint'),
  value: '',
  error: errorFor(s.errors, 'secret'),
  required: true,
  autocomplete: 'off',
  dir: 'ltr',
  spellcheck: false,
  maxlength: 64,
})}
<div class="actions">${button(v.t('track.submit'))}</div>
</form>
<h2>${v.t('track.lost.title')}</h2>
<p>${v.t('track.lost.text')}</p>`,
  };
}
