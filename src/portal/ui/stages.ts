import type { State } from '../../complaints/lifecycle.ts';
import { html, type Html } from '../html.ts';
import type { View } from './view.ts';

/**
 * The process as the complainant sees it (PORT-2, PORT-5): six stages drawn as an ordered list (HTML/CSS — the list
 * itself is the text alternative), the current one marked `aria-current="step"` and described in words.
 */
export const complaintStages = ['received', 'acknowledged', 'investigating', 'responding', 'answered', 'closed'] as const;
export const feedbackStages = ['received', 'acknowledged', 'closed'] as const;
export type Stage = (typeof complaintStages)[number];
export type StageNote = 'awaiting' | 'escalated' | 'reopened' | 'withdrawn' | 'out_of_scope' | null;

const stageName: Record<Stage, string> = {
  received: 'stage.received',
  acknowledged: 'stage.acknowledged',
  investigating: 'stage.investigating',
  responding: 'stage.responding',
  answered: 'stage.answered',
  closed: 'stage.closed',
};
const stageDescription: Record<Stage, string> = {
  received: 'stage.received.description',
  acknowledged: 'stage.acknowledged.description',
  investigating: 'stage.investigating.description',
  responding: 'stage.responding.description',
  answered: 'stage.answered.description',
  closed: 'stage.closed.description',
};
const noteText: Record<Exclude<StageNote, null>, string> = {
  awaiting: 'stage.note.awaiting',
  escalated: 'stage.note.escalated',
  reopened: 'stage.note.reopened',
  withdrawn: 'stage.note.withdrawn',
  out_of_scope: 'stage.note.out_of_scope',
};

const statusText = { done: 'stage.status.done', current: 'stage.status.current', todo: 'stage.status.todo' } as const;

const byState: Record<State, [Stage, StageNote]> = {
  received: ['received', null],
  acknowledged: ['acknowledged', null],
  assessed: ['investigating', null],
  under_investigation: ['investigating', null],
  awaiting_complainant: ['investigating', 'awaiting'],
  reopened: ['investigating', 'reopened'],
  escalated: ['investigating', 'escalated'],
  response_drafted: ['responding', null],
  response_approved: ['responding', null],
  response_sent: ['answered', null],
  closed: ['closed', null],
  withdrawn: ['closed', 'withdrawn'],
  out_of_scope: ['closed', 'out_of_scope'],
};

export function stageOf(state: string, type: string): { stage: Stage; note: StageNote; stages: readonly Stage[] } {
  const [stage, note] = byState[state as State] ?? ['received', null];
  if (type === 'complaint') return { stage, note, stages: complaintStages };
  const short: Stage = stage === 'closed' ? 'closed' : stage === 'received' ? 'received' : 'acknowledged';
  return { stage: short, note, stages: feedbackStages };
}

export const stageLabel = (v: View, stage: Stage) => v.t(stageName[stage]);
export const noteLabel = (v: View, note: Exclude<StageNote, null>) => v.t(noteText[note]);

/** The diagram of one complaint: done, current (highlighted, and said in words), still to come. */
export function stageDiagram(v: View, state: string, type: string): Html {
  const { stage, note, stages } = stageOf(state, type);
  const at = stages.indexOf(stage);
  return html`<div class="stages" role="group" aria-labelledby="stages-title">
<h2 id="stages-title">${v.t('case.stage_title')}</h2>
<ol class="stage-list">
${stages.map((s, i) => {
    const status = i < at ? 'done' : i === at ? 'current' : ('todo' as const);
    return html`<li class="stage ${status}"${i === at ? html` aria-current="step"` : ''}><span class="stage-marker" aria-hidden="true">${v.fmt.number(i + 1)}</span><span class="stage-name">${v.t(stageName[s])}</span> <span class="stage-status">${v.t(statusText[status])}</span></li>`;
  })}
</ol>
<p class="stage-summary">${v.t('stage.summary', { step: v.fmt.number(at + 1), total: v.fmt.number(stages.length), name: v.t(stageName[stage]) })}${
    note ? html` <strong>${v.t(noteText[note])}</strong>` : ''
  }</p>
</div>`;
}

/** The same diagram on the public process page, every stage explained, and the side paths in words. */
export function processDiagram(v: View): Html {
  return html`<div class="stages process" role="group" aria-labelledby="process-steps-title">
<h2 id="process-steps-title">${v.t('process.steps_title')}</h2>
<ol class="stage-list explained">
${complaintStages.map(
    (s, i) =>
      html`<li class="stage todo"><span class="stage-marker" aria-hidden="true">${v.fmt.number(i + 1)}</span><span class="stage-name">${v.t(stageName[s])}</span><span class="stage-description">${v.t(stageDescription[s])}</span></li>`,
  )}
</ol>
<h2>${v.t('process.other_paths_title')}</h2>
<ul class="side-paths">
<li><strong>${v.t('stage.note.awaiting')}</strong> ${v.t('process.path.awaiting')}</li>
<li><strong>${v.t('stage.note.escalated')}</strong> ${v.t('process.path.escalated')}</li>
<li><strong>${v.t('stage.note.withdrawn')}</strong> ${v.t('process.path.withdrawn')}</li>
<li><strong>${v.t('stage.note.reopened')}</strong> ${v.t('process.path.reopened')}</li>
<li><strong>${v.t('process.feedback_title')}</strong> ${v.t('process.path.feedback')}</li>
</ul>
</div>`;
}
