import { getSetting } from '../../admin/settings.ts';
import { AppError, conflict } from '../../shared/errors.ts';
import { activeRootCause, rootCauseRequired } from '../../improvement/root-causes.ts';
import { closureRefusal, escalationLevels, type State } from '../lifecycle.ts';
import type { ActionHandler } from '../execute-action.ts';

/**
 * Escalate to a higher level (OBJ-2). The current draft and owner are set aside: the next level needs a reviewer
 * independent of every earlier decision maker (enforced on assignment).
 */
export const escalateComplaint: ActionHandler<'escalate'> = async ({ complaint, input }) => {
  const decided = [complaint.drafted_by, complaint.approved_by].filter((id): id is string => id !== null);
  const level = escalationLevels.indexOf(input.level);
  if (level <= complaint.escalation_level) {
    throw conflict('escalation_level_not_higher', `The complaint is already at level "${escalationLevels[complaint.escalation_level]}"`);
  }
  return {
    state: 'escalated',
    patch: {
      escalation_level: level,
      decision_makers: [...new Set([...complaint.decision_makers, ...decided])],
      owner_id: null,
      response: null,
      drafted_by: null,
      approved_by: null,
      approved_at: null,
      approval_required: false,
      complainant_decision: null,
    },
    data: { level: input.level, reason: input.reason },
    notify: [{ topic: 'complaint.escalated', payload: { level: input.level } }],
  };
};

/** Reopen a closed complaint within the configured window (AUD-3: the only way to change a closed record). */
export const reopenComplaint: ActionHandler<'reopen'> = async ({ tx, complaint, actor, input, now }) => {
  const days = await getSetting(tx, 'reopen_window_days');
  const closedAt = complaint.closed_at ?? now;
  if (actor.role !== 'manager' && now.getTime() - closedAt.getTime() > days * 86_400_000) {
    throw conflict('reopen_window_passed', `Complaints can be reopened within ${days} days of closure; ask a manager`);
  }
  return {
    state: 'reopened',
    patch: { closed_at: null, closure_reason: null, complainant_decision: null },
    data: { reason: input.reason },
  };
};

export const withdrawComplaint: ActionHandler<'withdraw'> = async ({ input, now }) => ({
  state: 'withdrawn',
  patch: { closed_at: now, closure_reason: 'withdrawn' },
  data: { reason: input.reason ?? null },
  notify: [{ topic: 'complainant.withdrawn', payload: {} }],
});

/** Close with a reason code (LIFE-7): only once accepted, or the options are exhausted, or the rule allows. */
export const closeComplaint: ActionHandler<'close'> = async ({ tx, complaint, input, now }) => {
  const refused = closureRefusal(
    { type: complaint.type, state: complaint.state as State, complainantDecision: complaint.complainant_decision },
    input.reason,
  );
  if (refused) throw conflict(refused, `Cannot close with reason "${input.reason}": ${refused.replaceAll('_', ' ')}`);
  // IMP-3: an upheld (or partly upheld) complaint is closed with its root cause, given now or recorded before.
  const rootCause = input.rootCause === undefined ? complaint.root_cause : await activeRootCause(tx, input.rootCause);
  if (rootCause === null && rootCauseRequired(complaint.response?.outcome)) {
    throw new AppError(422, 'root_cause_required', 'Give the root cause (rootCause) to close a complaint that was upheld in whole or in part', {
      field: 'rootCause',
    });
  }
  return {
    state: 'closed',
    patch: { closed_at: now, closure_reason: input.reason, ...(rootCause !== complaint.root_cause ? { root_cause: rootCause } : {}) },
    data: { reason: input.reason, comment: input.comment ?? null, rootCause },
    notify: [{ topic: 'complainant.closed', payload: { reason: input.reason } }],
  };
};
