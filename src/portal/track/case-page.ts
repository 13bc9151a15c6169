import { randomBytes } from 'node:crypto';
import { escalationLevels } from '../../complaints/lifecycle.ts';
import { html, type Html } from '../html.ts';
import { isolateLtr } from '../i18n.ts';
import type { FormInput } from '../forms.ts';
import { MAX_FILE_BYTES, MAX_FILES } from '../forms.ts';
import { ACCEPT, button, checkbox, fileInput, hidden, radios, textArea } from '../ui/fields.ts';
import { errorSummary } from '../ui/layout.ts';
import { noteLabel, stageDiagram, stageLabel, stageOf } from '../ui/stages.ts';
import { errorFor, type Errors, type View } from '../ui/view.ts';
import type { CaseData } from './case-data.ts';

export const flashKeys = {
  reply_sent: 'flash.reply_sent',
  accepted: 'flash.accepted',
  rejected: 'flash.rejected',
  escalated: 'flash.escalated',
  withdrawn: 'flash.withdrawn',
  survey_thanks: 'flash.survey_thanks',
  survey_already: 'flash.survey_already',
  not_possible: 'flash.not_possible',
} as const;
export type Flash = keyof typeof flashKeys;

export const surveyQuestions = {
  q_ease: 'survey.q.ease',
  q_informed: 'survey.q.informed',
  q_time: 'survey.q.time',
  q_fair: 'survey.q.fair',
  q_overall: 'survey.q.overall',
} as const;
export type SurveyQuestion = keyof typeof surveyQuestions;
const scale = ['survey.scale.1', 'survey.scale.2', 'survey.scale.3', 'survey.scale.4', 'survey.scale.5'] as const;

const titles = { complaint: 'case.title.complaint', suggestion: 'case.title.suggestion', compliment: 'case.title.compliment' } as const;
const outcomes = { upheld: 'outcome.upheld', partly_upheld: 'outcome.partly_upheld', not_upheld: 'outcome.not_upheld' } as const;

/** The complainant's own escalation goes one level up, as far as the internal review; beyond it is external. */
export function nextEscalationLevel(level: number): (typeof escalationLevels)[number] | null {
  const next = escalationLevels[level + 1];
  return next && next !== 'external' ? next : null;
}

function handledBy(v: View, d: CaseData): string {
  const c = d.complaint;
  if (c.state === 'escalated') return v.t('case.handler.reviewer');
  if (d.ownerRole === 'manager') return v.t('case.handler.manager');
  if (d.ownerRole) return v.t('case.handler.handler');
  return v.t('case.handler.team');
}

const nextKeys = { acknowledgement: 'case.next.acknowledgement', update: 'case.next.update', final: 'case.next.final', other: 'case.next.other' } as const;

function nextDate(v: View, d: CaseData): string {
  const c = d.complaint;
  if (c.closed_at) return v.t('case.next_date.closed', { date: v.fmt.date(c.closed_at) });
  if (c.state === 'response_sent' && c.complainant_decision === null) return v.t('case.next_date.your_turn');
  if (d.dates.next) return v.t(nextKeys[d.dates.next.what], { date: v.fmt.date(d.dates.next.at) });
  return v.t('case.next_date.none');
}

const once = () => hidden('once', randomBytes(16).toString('base64url'));

export function casePage(v: View, d: CaseData, s: { flash: Flash | null; errors: Errors; form: FormInput | null }): { title: string; body: Html } {
  const c = d.complaint;
  const value = (f: string) => s.form?.get(f) ?? '';
  const err = (f: string) => errorFor(s.errors, f);
  const { stage, note } = stageOf(c.state, c.type);
  const title = v.t(titles[c.type], { reference: isolateLtr(c.reference) });
  const canReply = d.allowed.has('add_message') || d.allowed.has('information_received');
  const awaiting = c.state === 'awaiting_complainant';
  const answered = c.sent_at !== null && c.response !== null && (c.state === 'response_sent' || c.state === 'closed');
  const level = nextEscalationLevel(c.escalation_level);
  const canEscalate = d.allowed.has('escalate') && level !== null;
  const body = html`<h1>${title}</h1>
${s.flash ? html`<p class="notice success" role="status">${v.t(flashKeys[s.flash])}</p>` : ''}
${errorSummary(v, s.errors)}
<dl class="summary-list">
<div><dt>${v.t('case.reference')}</dt><dd dir="ltr" class="code">${c.reference}</dd></div>
<div><dt>${v.t('case.received')}</dt><dd>${v.fmt.dateTime(c.received_at)}</dd></div>
<div><dt>${v.t('case.stage')}</dt><dd>${stageLabel(v, stage)}${note ? html` — ${noteLabel(v, note)}` : ''}</dd></div>
<div><dt>${v.t('case.next_date')}</dt><dd>${nextDate(v, d)}</dd></div>
${d.dates.final && d.dates.next?.what !== 'final' ? html`<div><dt>${v.t('case.final_date')}</dt><dd>${v.fmt.date(d.dates.final)}</dd></div>` : ''}
<div><dt>${v.t('case.handled_by')}</dt><dd>${handledBy(v, d)}</dd></div>
</dl>
${stageDiagram(v, c.state, c.type)}
${answered ? answerSection(v, d, value, err) : ''}
${canEscalate ? escalateSection(v, d, value, err) : c.complainant_decision === 'rejected' || c.escalation_level >= 2 ? externalSection(v) : ''}
${canReply ? replySection(v, awaiting, value, err) : ''}
${d.surveyDue ? surveySection(v, value, err) : ''}
${d.allowed.has('withdraw') ? withdrawSection(v, value, err) : ''}
${messagesSection(v, d)}
${d.attachments.length ? attachmentsSection(v, d) : ''}
<form class="signout" method="post" action="/case/signout">${hidden('_csrf', v.csrf('signout'))}${button(v.t('case.signout'), { kind: 'secondary' })}</form>`;
  return { title, body };
}

type Get = (f: string) => string;
type Err = (f: string) => string | undefined;

function answerSection(v: View, d: CaseData, value: Get, err: Err): Html {
  const c = d.complaint;
  const r = c.response!;
  const decided = c.complainant_decision;
  return html`<section id="answer" aria-labelledby="answer-title" class="box">
<h2 id="answer-title">${v.t('case.answer.title')}</h2>
<p>${v.t('case.answer.outcome', { outcome: v.t(outcomes[r.outcome]) })}</p>
${d.remedies.length ? html`<h3>${v.t('case.answer.remedies')}</h3><ul>${d.remedies.map((m) => html`<li><bdi>${m.name}</bdi>${m.amount !== null ? html` — <span dir="ltr">${v.fmt.money(m.amount)}</span>` : ''}</li>`)}</ul>` : ''}
<p>${v.t('case.answer.read_message')}</p>
${decided === 'accepted' ? html`<p class="notice">${v.t('case.answer.you_accepted')}</p>` : ''}
${decided === 'rejected' ? html`<p class="notice">${v.t('case.answer.you_rejected')}</p>` : ''}
${d.allowed.has('complainant_accepts') && decided !== 'accepted'
    ? html`<form class="form" method="post" action="/case/accept" accept-charset="utf-8" novalidate data-once>
${hidden('_csrf', v.csrf('accept'))}${once()}
<h3>${v.t('case.accept.title')}</h3>
${textArea(v, { name: 'comment', label: v.t('case.accept.comment'), value: value('comment'), error: err('comment'), rows: 3, maxlength: 5000 })}
${button(v.t('case.accept.button'))}
</form>`
    : ''}
${d.allowed.has('complainant_rejects') && decided !== 'rejected'
    ? html`<form class="form" method="post" action="/case/reject" accept-charset="utf-8" novalidate data-once>
${hidden('_csrf', v.csrf('reject'))}${once()}
<h3>${v.t('case.reject.title')}</h3>
<p class="hint">${v.t('case.reject.hint')}</p>
${textArea(v, { name: 'reason', label: v.t('case.reject.reason'), value: value('reason'), error: err('reason'), rows: 3, maxlength: 2000 })}
${button(v.t('case.reject.button'), { kind: 'secondary' })}
</form>`
    : ''}
</section>`;
}

function escalateSection(v: View, d: CaseData, value: Get, err: Err): Html {
  const rejected = d.complaint.complainant_decision === 'rejected';
  return html`<section id="escalate" aria-labelledby="escalate-title" class="box${rejected ? ' emphasis' : ''}">
<h2 id="escalate-title">${v.t('case.escalate.title')}</h2>
<p>${v.t(rejected ? 'case.escalate.after_reject' : 'case.escalate.intro')}</p>
<form class="form" method="post" action="/case/escalate" accept-charset="utf-8" novalidate data-once>
${hidden('_csrf', v.csrf('escalate'))}${once()}
${textArea(v, { name: 'escalation_reason', label: v.t('case.escalate.reason'), value: value('escalation_reason'), error: err('escalation_reason'), required: true, rows: 4, maxlength: 2000 })}
${button(v.t('case.escalate.button'))}
</form>
<p><a href="/escalation">${v.t('case.escalate.external_link')}</a></p>
</section>`;
}

function externalSection(v: View): Html {
  return html`<section id="escalate" aria-labelledby="external-title" class="box">
<h2 id="external-title">${v.t('case.external.title')}</h2>
<p>${v.t('case.external.text')} <a href="/escalation">${v.t('nav.escalation')}</a></p>
</section>`;
}

function replySection(v: View, awaiting: boolean, value: Get, err: Err): Html {
  return html`<section id="reply" aria-labelledby="reply-title" class="box${awaiting ? ' emphasis' : ''}">
<h2 id="reply-title">${v.t(awaiting ? 'case.reply.title_awaiting' : 'case.reply.title')}</h2>
${awaiting ? html`<p>${v.t('case.reply.awaiting')}</p>` : ''}
<form class="form" method="post" action="/case/reply" enctype="multipart/form-data" accept-charset="utf-8" novalidate data-once>
${hidden('_csrf', v.csrf('reply'))}${once()}
${textArea(v, { name: 'message', label: v.t('case.reply.message'), value: value('message'), error: err('message'), rows: 6, maxlength: 20_000 })}
${fileInput(v, { name: 'files', label: v.t('case.reply.files'), hint: v.t('submit.files.hint', { max: v.fmt.number(MAX_FILES), size: v.fmt.bytes(MAX_FILE_BYTES) }), error: err('files'), accept: ACCEPT })}
${button(v.t('case.reply.button'))}
</form>
</section>`;
}

function surveySection(v: View, value: Get, err: Err): Html {
  return html`<section id="survey" aria-labelledby="survey-title" class="box emphasis">
<h2 id="survey-title">${v.t('survey.title')}</h2>
<p>${v.t('survey.intro')}</p>
<form class="form" method="post" action="/case/survey" accept-charset="utf-8" novalidate data-once>
${hidden('_csrf', v.csrf('survey'))}
${(Object.keys(surveyQuestions) as SurveyQuestion[]).map((q) =>
    radios(v, {
      name: q,
      legend: v.t(surveyQuestions[q]),
      value: value(q),
      error: err(q),
      required: true,
      inline: true,
      options: scale.map((key, i) => ({ value: String(i + 1), label: v.t(key) })),
    }),
  )}
${textArea(v, { name: 'survey_comment', label: v.t('survey.comment'), value: value('survey_comment'), error: err('survey_comment'), rows: 4, maxlength: 2000 })}
${button(v.t('survey.button'))}
</form>
</section>`;
}

function withdrawSection(v: View, value: Get, err: Err): Html {
  const open = Boolean(err('confirm') || err('withdraw_reason'));
  return html`<details class="details box" id="withdraw"${open ? html` open` : ''}>
<summary>${v.t('case.withdraw.summary')}</summary>
<div class="details-body">
<p>${v.t('case.withdraw.text')}</p>
<form class="form" method="post" action="/case/withdraw" accept-charset="utf-8" novalidate data-once>
${hidden('_csrf', v.csrf('withdraw'))}${once()}
${textArea(v, { name: 'withdraw_reason', label: v.t('case.withdraw.reason'), value: value('withdraw_reason'), error: err('withdraw_reason'), rows: 3, maxlength: 2000 })}
${checkbox(v, { name: 'confirm', label: v.t('case.withdraw.confirm'), checked: value('confirm') === 'yes', error: err('confirm') })}
${button(v.t('case.withdraw.button'), { kind: 'warning' })}
</form>
</div>
</details>`;
}

function messagesSection(v: View, d: CaseData): Html {
  return html`<section id="messages" aria-labelledby="messages-title">
<h2 id="messages-title">${v.t('case.messages.title')}</h2>
${d.messages.length === 0
    ? html`<p>${v.t('case.messages.none')}</p>`
    : html`<ol class="messages">${d.messages.map(
        (m) => html`<li class="message ${m.direction}"><article aria-label="${v.t(m.direction === 'outbound' ? 'case.messages.from_us' : 'case.messages.from_you')}">
<p class="message-meta"><strong>${v.t(m.direction === 'outbound' ? 'case.messages.from_us' : 'case.messages.from_you')}</strong> · <time datetime="${m.createdAt.toISOString()}">${v.fmt.dateTime(m.createdAt)}</time></p>
<div class="message-body" dir="auto">${m.body}</div>
</article></li>`,
      )}</ol>`}
</section>`;
}

function attachmentsSection(v: View, d: CaseData): Html {
  return html`<section aria-labelledby="files-title">
<h2 id="files-title">${v.t('case.files.title')}</h2>
<ul>${d.attachments.map((a) => html`<li><bdi>${a.filename}</bdi> (${v.fmt.bytes(a.size)}, ${v.fmt.date(a.createdAt)})</li>`)}</ul>
</section>`;
}
