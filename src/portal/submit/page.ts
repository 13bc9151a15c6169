import { contactChannels, languages, type Language } from '../../shared/vocabulary.ts';
import { flag, html, type Html } from '../html.ts';
import { autonyms } from '../i18n.ts';
import { displaySecret, trackingPath, type Credentials } from '../credentials.ts';
import { MAX_FILE_BYTES, MAX_FILES, type FormInput } from '../forms.ts';
import { ACCEPT, button, checkbox, fileInput, hidden, radios, select, textArea, textInput } from '../ui/fields.ts';
import { errorSummary } from '../ui/layout.ts';
import { errorFor, type Errors, type View } from '../ui/view.ts';
import type { ExpectedDates } from '../track/expected-dates.ts';
import type { StagedUpload } from './submission.ts';
import { maxLength, submitLabels, type SubmitField } from './validate.ts';

export interface SubmitFormState {
  submissionId: string;
  form: FormInput | null;
  errors: Errors;
  staged: StagedUpload[];
  products: Array<{ key: string; name: string }>;
  allowAnonymous: boolean;
  /** Set when the rate is high: the proof-of-work challenge for this form. */
  challenge: { token: string; bits: number; waitSeconds: number } | null;
}

const typeLabels = { complaint: 'submit.type.complaint', suggestion: 'submit.type.suggestion', compliment: 'submit.type.compliment' } as const;
const typeHints = { complaint: 'submit.type.complaint.hint', suggestion: 'submit.type.suggestion.hint', compliment: 'submit.type.compliment.hint' } as const;
const channelLabels = { email: 'channel.email', phone: 'channel.phone', letter: 'channel.letter', sms: 'channel.sms' } as const;

export function submitPage(v: View, s: SubmitFormState): { title: string; body: Html } {
  const value = (f: string) => s.form?.get(f) ?? '';
  const err = (f: SubmitField) => errorFor(s.errors, f);
  const field = (f: SubmitField, o: { hint?: string; required?: boolean; autocomplete?: string; type?: 'text' | 'email' | 'tel' | 'date'; width?: 'short' | 'medium' | 'full'; dir?: 'ltr' | 'auto' } = {}) =>
    textInput(v, { name: f, label: v.t(submitLabels[f]), value: value(f), error: err(f), maxlength: maxLength(f), ...o });
  const area = (f: SubmitField, o: { hint?: string; required?: boolean; rows?: number; autocomplete?: string } = {}) =>
    textArea(v, { name: f, label: v.t(submitLabels[f]), value: value(f), error: err(f), maxlength: maxLength(f), ...o });
  const repOpen = ['rep_name', 'rep_relationship', 'rep_email', 'rep_phone', 'rep_authority'].some((f) => value(f).trim() !== '' || err(f as SubmitField));
  const title = v.t('submit.title');
  const body = html`<h1>${title}</h1>
${errorSummary(v, s.errors)}
<p class="lead">${v.t('submit.intro')}</p>
<p>${v.t('submit.free')}</p>
<form class="form" method="post" action="/submit" enctype="multipart/form-data" accept-charset="utf-8" novalidate data-once>
${hidden('_csrf', v.csrf('submit'))}${hidden('submissionId', s.submissionId)}
<section aria-labelledby="about-title">
<h2 id="about-title">${v.t('submit.section.about')}</h2>
${radios(v, {
  name: 'type',
  legend: v.t(submitLabels.type),
  value: value('type') || 'complaint',
  error: err('type'),
  required: true,
  options: (['complaint', 'suggestion', 'compliment'] as const).map((k) => ({ value: k, label: v.t(typeLabels[k]), hint: v.t(typeHints[k]) })),
})}
${area('description', { required: true, rows: 8, hint: v.t('submit.description.hint') })}
${field('occurredOn', { type: 'date', width: 'medium', hint: v.t('submit.occurred.hint') })}
${field('awareOn', { type: 'date', width: 'medium', hint: v.t('submit.aware.hint') })}
${select(v, {
  name: 'product',
  label: v.t(submitLabels.product),
  value: value('product'),
  error: err('product'),
  empty: v.t('submit.product.none'),
  options: s.products.map((p) => ({ value: p.key, label: p.name })),
})}
${field('location', { hint: v.t('submit.location.hint') })}
${area('desiredRemedy', { rows: 4, hint: v.t('submit.remedy.hint') })}
${s.staged.length > 0 ? stagedList(v, s.staged) : ''}
${fileInput(v, {
  name: 'files',
  label: v.t(submitLabels.files),
  hint: v.t('submit.files.hint', { max: v.fmt.number(MAX_FILES), size: v.fmt.bytes(MAX_FILE_BYTES) }),
  error: err('files'),
  accept: ACCEPT,
})}
</section>
<section aria-labelledby="details-title">
<h2 id="details-title">${v.t('submit.section.details')}</h2>
<p>${v.t('submit.details.intro')}</p>
${s.allowAnonymous ? checkbox(v, { name: 'anonymous', label: v.t('submit.anonymous.label'), hint: v.t('submit.anonymous.hint'), checked: value('anonymous') === 'yes' }) : ''}
${field('name', { required: true, autocomplete: 'name', width: 'medium' })}
${field('email', { type: 'email', autocomplete: 'email', dir: 'ltr', width: 'medium', hint: v.t('submit.email.hint') })}
${field('phone', { type: 'tel', autocomplete: 'tel', dir: 'ltr', width: 'medium' })}
${area('postalAddress', { rows: 3, autocomplete: 'street-address' })}
${select(v, {
  name: 'preferredLanguage',
  label: v.t(submitLabels.preferredLanguage),
  value: value('preferredLanguage') || v.lang,
  error: err('preferredLanguage'),
  required: true,
  options: languages.map((l: Language) => ({ value: l, label: autonyms[l], lang: l })),
})}
${radios(v, {
  name: 'preferredChannel',
  legend: v.t(submitLabels.preferredChannel),
  value: value('preferredChannel') || 'email',
  error: err('preferredChannel'),
  inline: true,
  options: contactChannels.map((c) => ({ value: c, label: v.t(channelLabels[c]) })),
})}
<details class="details"${flag('open', repOpen)}>
<summary>${v.t('submit.rep.summary')}</summary>
<div class="details-body">
<p class="hint">${v.t('submit.rep.intro')}</p>
${field('rep_name', { required: true, width: 'medium' })}
${field('rep_relationship', { required: true, width: 'medium', hint: v.t('submit.rep_relationship.hint') })}
${field('rep_email', { type: 'email', dir: 'ltr', width: 'medium' })}
${field('rep_phone', { type: 'tel', dir: 'ltr', width: 'medium' })}
${area('rep_authority', { required: true, rows: 3, hint: v.t('submit.rep_authority.hint') })}
</div>
</details>
</section>
<section aria-labelledby="consent-title">
<h2 id="consent-title">${v.t('submit.section.consent')}</h2>
<p>${v.t('submit.consent.text')} <a href="/policy">${v.t('submit.consent.policy_link')}</a></p>
${checkbox(v, { name: 'consent', label: v.t(submitLabels.consent), checked: value('consent') === 'yes', error: err('consent') })}
</section>
${s.challenge ? challengeBlock(v, s.challenge) : ''}
<div class="actions">${button(v.t('submit.send'))}</div>
</form>`;
  return { title, body };
}

function stagedList(v: View, staged: StagedUpload[]): Html {
  return html`<div class="field">
<fieldset class="fieldset">
<legend class="legend">${v.t('submit.staged.legend')}</legend>
<p class="hint">${v.t('submit.staged.hint')}</p>
<div class="choices">${staged.map(
    (u, i) =>
      html`<div class="choice"><input type="checkbox" id="f-keep-${i}" name="keepUpload" value="${u.id}" checked><label for="f-keep-${i}"><bdi>${u.filename}</bdi> (${v.fmt.bytes(u.size)})</label></div>`,
  )}</div>
</fieldset>
</div>`;
}

function challengeBlock(v: View, c: { token: string; bits: number; waitSeconds: number }): Html {
  return html`<div class="notice challenge" id="f-challenge">
<input type="hidden" name="pow_challenge" value="${c.token}" data-pow-bits="${c.bits}">
<input type="hidden" name="pow_solution" value="">
<p>${v.t('submit.challenge.text')}</p>
<noscript><p class="hint">${v.t('submit.challenge.nojs', { seconds: v.fmt.number(c.waitSeconds) })}</p></noscript>
<p class="pow-status" role="status" data-working="${v.t('submit.challenge.working')}" data-done="${v.t('submit.challenge.done')}"></p>
</div>`;
}

const typeDone = { complaint: 'done.title.complaint', suggestion: 'done.title.suggestion', compliment: 'done.title.compliment' } as const;

/** The confirmation (PORT-1, CHAN-4 on screen): the reference, the private link and secret, what happens next, by when. */
export function donePage(
  v: View,
  d: { reference: string; type: 'complaint' | 'suggestion' | 'compliment'; credentials: Credentials; publicUrl: string; dates: ExpectedDates; receivedAt: Date; hasEmail: boolean },
): { title: string; body: Html } {
  const path = trackingPath(d.credentials.link);
  const title = v.t(typeDone[d.type]);
  const body = html`<div class="panel" role="status">
<h1>${title}</h1>
<p>${v.t('done.reference_is')}</p>
<p class="reference" dir="ltr">${d.reference}</p>
</div>
<p>${v.t('done.received_at', { date: v.fmt.dateTime(d.receivedAt) })}</p>
<h2>${v.t('done.keep_title')}</h2>
<dl class="summary-list">
<div><dt>${v.t('done.reference')}</dt><dd dir="ltr" class="code">${d.reference}</dd></div>
<div><dt>${v.t('done.secret')}</dt><dd dir="ltr" class="code">${displaySecret(d.credentials.secret)}</dd></div>
<div><dt>${v.t('done.link')}</dt><dd dir="ltr"><a href="${path}" class="code break">${new URL(path, d.publicUrl).toString()}</a></dd></div>
</dl>
<p class="warning">${v.t('done.keep_private')}</p>
${d.hasEmail ? html`<p>${v.t('done.email_sent')}</p>` : ''}
<h2>${v.t('done.next_title')}</h2>
<ol class="steps">
<li>${d.type !== 'complaint' ? v.t('done.next.feedback') : d.dates.acknowledgement ? v.t('done.next.acknowledge_by', { date: v.fmt.date(d.dates.acknowledgement) }) : v.t('done.next.acknowledge')}</li>
${d.type === 'complaint' ? html`<li>${v.t('done.next.investigate')}</li>` : ''}
<li>${d.dates.final ? v.t('done.next.by_date', { date: v.fmt.date(d.dates.final) }) : html`${v.t('done.next.commitments')} <a href="/commitments">${v.t('nav.commitments')}</a>`}</li>
</ol>
<p><a class="button primary" href="${path}">${v.t('done.track_now')}</a></p>`;
  return { title, body };
}
