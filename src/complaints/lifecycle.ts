import type { ActorRole } from '../identity/roles.ts';

/**
 * The complaint lifecycle as one declared state machine (LIFE-1). The HTTP API, the permission checks,
 * the "allowed actions" of a case and the Mermaid diagram in ARCHITECTURE.md are all derived from it.
 */
export const states = [
  'received',
  'acknowledged',
  'assessed',
  'under_investigation',
  'awaiting_complainant',
  'response_drafted',
  'response_approved',
  'response_sent',
  'escalated',
  'reopened',
  'closed',
  'withdrawn',
  'out_of_scope',
] as const;
export type State = (typeof states)[number];

export const finalStates: readonly State[] = ['closed', 'withdrawn', 'out_of_scope'];
export const openStates: readonly State[] = states.filter((s) => !finalStates.includes(s));

export const actionNames = [
  'acknowledge',
  'assess',
  'assign',
  'add_note',
  'add_attachment',
  'add_message',
  'add_task',
  'complete_task',
  'request_information',
  'information_received',
  'link',
  'mark_duplicate',
  'merge',
  'draft_response',
  'approve_response',
  'send_response',
  'complainant_accepts',
  'complainant_rejects',
  'escalate',
  'reopen',
  'withdraw',
  'close',
] as const;
export type ActionName = (typeof actionNames)[number];

/** The facts about a complaint that the machine's guards look at. */
export interface ComplaintFacts {
  type: 'complaint' | 'suggestion' | 'compliment';
  state: State;
  teamId: string | null;
  ownerId: string | null;
  subjectUserId: string | null;
  draftedBy: string | null;
  approvalRequired: boolean;
  complainantDecision: string | null;
  closureReason: string | null;
  /** Who drafted or approved a response at an earlier escalation level: never the reviewer at a higher one (OBJ-2). */
  decisionMakers: readonly string[];
}

export interface ActorFacts {
  id: string | null;
  role: ActorRole;
  teamIds: readonly string[];
}

/** `same` means the action leaves the state as it is. */
export type Target = State | 'same';

export interface ActionDef {
  name: ActionName;
  label: string;
  from: readonly State[];
  to: readonly Target[];
  roles: readonly ActorRole[];
  /** A guard over facts of the complaint and actor; returns a machine-readable refusal code, or null. */
  guard?: (complaint: ComplaintFacts, actor: ActorFacts) => string | null;
}

const caseWorkers: readonly ActorRole[] = ['handler', 'manager'];
const frontline: readonly ActorRole[] = ['intake', 'handler', 'manager'];
/** What the complainant may do on their own case (portal, e-mail): staff intake roles may record it for them. */
const complainantToo: readonly ActorRole[] = [...frontline, 'complainant'];
const withoutTerminal = openStates;

export const actions: Record<ActionName, ActionDef> = {
  acknowledge: {
    name: 'acknowledge',
    label: 'Acknowledge',
    from: ['received'],
    to: ['acknowledged'],
    roles: frontline,
  },
  assess: {
    name: 'assess',
    label: 'Assess',
    from: ['received', 'acknowledged', 'assessed', 'under_investigation', 'reopened'],
    to: ['assessed', 'out_of_scope', 'same'],
    roles: caseWorkers,
  },
  assign: {
    name: 'assign',
    label: 'Assign',
    from: withoutTerminal,
    to: ['same', 'under_investigation'],
    roles: caseWorkers,
  },
  add_note: { name: 'add_note', label: 'Add note', from: withoutTerminal, to: ['same'], roles: frontline },
  add_attachment: {
    name: 'add_attachment',
    label: 'Add attachment',
    from: withoutTerminal,
    to: ['same'],
    roles: complainantToo,
  },
  add_message: {
    name: 'add_message',
    label: 'Record a message from the complainant',
    from: withoutTerminal,
    to: ['same'],
    roles: complainantToo,
  },
  add_task: { name: 'add_task', label: 'Add task', from: withoutTerminal, to: ['same'], roles: caseWorkers },
  complete_task: {
    name: 'complete_task',
    label: 'Complete task',
    from: withoutTerminal,
    to: ['same'],
    roles: caseWorkers,
  },
  request_information: {
    name: 'request_information',
    label: 'Request information',
    from: ['acknowledged', 'assessed', 'under_investigation', 'escalated', 'reopened'],
    to: ['awaiting_complainant'],
    roles: caseWorkers,
  },
  information_received: {
    name: 'information_received',
    label: 'Information received',
    from: ['awaiting_complainant'],
    to: ['under_investigation'],
    roles: complainantToo,
  },
  link: { name: 'link', label: 'Link complaint', from: withoutTerminal, to: ['same'], roles: caseWorkers },
  mark_duplicate: {
    name: 'mark_duplicate',
    label: 'Mark as duplicate',
    from: withoutTerminal,
    to: ['same'],
    roles: caseWorkers,
  },
  merge: {
    name: 'merge',
    label: 'Merge into another',
    from: withoutTerminal,
    to: ['closed'],
    roles: caseWorkers,
  },
  draft_response: {
    name: 'draft_response',
    label: 'Draft response',
    from: ['assessed', 'under_investigation', 'response_drafted', 'escalated', 'reopened'],
    to: ['response_drafted'],
    roles: caseWorkers,
    guard: (c, a) => {
      if (c.type !== 'complaint') return 'not_a_complaint';
      if (a.id !== null && (c.subjectUserId === a.id || c.decisionMakers.includes(a.id))) return 'conflict_of_interest';
      return null;
    },
  },
  approve_response: {
    name: 'approve_response',
    label: 'Approve response',
    from: ['response_drafted'],
    to: ['response_approved'],
    roles: ['manager'],
    guard: (c, a) => {
      if (a.id !== null && c.draftedBy === a.id) return 'approver_is_drafter';
      if (a.id !== null && (c.subjectUserId === a.id || c.decisionMakers.includes(a.id))) return 'conflict_of_interest';
      return null;
    },
  },
  send_response: {
    name: 'send_response',
    label: 'Send response',
    from: ['response_drafted', 'response_approved'],
    to: ['response_sent'],
    roles: caseWorkers,
    guard: (c) => (c.state === 'response_drafted' && c.approvalRequired ? 'approval_required' : null),
  },
  complainant_accepts: {
    name: 'complainant_accepts',
    label: 'Complainant accepts',
    from: ['response_sent'],
    to: ['same'],
    roles: complainantToo,
    guard: (c) => (c.complainantDecision === 'accepted' ? 'already_accepted' : null),
  },
  complainant_rejects: {
    name: 'complainant_rejects',
    label: 'Complainant rejects',
    from: ['response_sent'],
    to: ['same'],
    roles: complainantToo,
    guard: (c) => (c.complainantDecision === 'rejected' ? 'already_rejected' : null),
  },
  escalate: {
    name: 'escalate',
    label: 'Escalate',
    from: withoutTerminal.filter((s) => s !== 'received'),
    to: ['escalated'],
    roles: complainantToo,
    guard: (c) => (c.type !== 'complaint' ? 'not_a_complaint' : null),
  },
  reopen: {
    name: 'reopen',
    label: 'Reopen',
    from: ['closed', 'out_of_scope'],
    to: ['reopened'],
    roles: caseWorkers,
    guard: (c) => (c.closureReason === 'merged' ? 'merged_complaint' : null),
  },
  withdraw: {
    name: 'withdraw',
    label: 'Withdraw',
    from: withoutTerminal,
    to: ['withdrawn'],
    roles: complainantToo,
  },
  close: {
    name: 'close',
    label: 'Close',
    from: ['received', 'acknowledged', 'assessed', 'response_sent', 'escalated'],
    to: ['closed'],
    roles: caseWorkers,
    guard: (c) => {
      if (c.type !== 'complaint') return null;
      if (c.state === 'response_sent' || c.state === 'escalated') return null;
      return 'response_not_sent';
    },
  },
};

export type Refusal =
  | { kind: 'forbidden'; code: 'role_not_permitted' | 'out_of_scope_for_user' }
  | { kind: 'conflict'; code: string };

/** May this actor see this complaint at all? Handlers see their teams' and their own complaints; nobody sees a complaint about themselves (OBJ-4). */
export function canSee(
  complaint: Pick<ComplaintFacts, 'teamId' | 'ownerId' | 'subjectUserId'>,
  actor: ActorFacts,
): boolean {
  if (actor.id !== null && complaint.subjectUserId === actor.id) return false;
  if (actor.role !== 'handler') return true;
  if (actor.id !== null && complaint.ownerId === actor.id) return true;
  return complaint.teamId !== null && actor.teamIds.includes(complaint.teamId);
}

/** Checks an action against the machine: role, scope, state and guard. Returns null when it may go ahead. */
export function checkAction(name: ActionName, complaint: ComplaintFacts, actor: ActorFacts): Refusal | null {
  const def = actions[name];
  if (!def.roles.includes(actor.role)) return { kind: 'forbidden', code: 'role_not_permitted' };
  if (!canSee(complaint, actor)) return { kind: 'forbidden', code: 'out_of_scope_for_user' };
  if (!def.from.includes(complaint.state)) return { kind: 'conflict', code: 'invalid_transition' };
  const refused = def.guard?.(complaint, actor) ?? null;
  return refused === null ? null : { kind: 'conflict', code: refused };
}

/** Exactly the actions this actor may take on this complaint now. */
export function allowedActions(complaint: ComplaintFacts, actor: ActorFacts): ActionName[] {
  return actionNames.filter((name) => checkAction(name, complaint, actor) === null);
}

/** Every (from, to) pair the machine allows, for the diagram and for tests. */
export function transitions(): Array<{ from: State; to: State; action: ActionName }> {
  const out: Array<{ from: State; to: State; action: ActionName }> = [];
  for (const def of Object.values(actions)) {
    for (const from of def.from) {
      for (const target of def.to) {
        if (target === 'same') continue;
        if (
          def.name === 'assign' &&
          target === 'under_investigation' &&
          !['assessed', 'reopened'].includes(from)
        )
          continue;
        if (
          def.name === 'assess' &&
          target === 'assessed' &&
          !['received', 'acknowledged', 'assessed'].includes(from)
        )
          continue;
        out.push({ from, to: target, action: def.name });
      }
    }
  }
  return out;
}

/** A Mermaid state diagram of the machine (state changes only). */
export function mermaidDiagram(): string {
  const lines = ['stateDiagram-v2', '  [*] --> received: create'];
  const seen = new Map<string, ActionName[]>();
  for (const t of transitions()) {
    const key = `${t.from} --> ${t.to}`;
    seen.set(key, [...(seen.get(key) ?? []), t.action]);
  }
  for (const [key, names] of seen) lines.push(`  ${key}: ${names.join(', ')}`);
  for (const s of finalStates) lines.push(`  ${s} --> [*]`);
  return lines.join('\n');
}

export const impactLevels = ['low', 'medium', 'high'] as const;
export type Level = (typeof impactLevels)[number];
export type Priority = 'low' | 'medium' | 'high' | 'critical';

const priorityMatrix: Record<Level, Record<Level, Priority>> = {
  high: { high: 'critical', medium: 'high', low: 'medium' },
  medium: { high: 'high', medium: 'medium', low: 'low' },
  low: { high: 'medium', medium: 'low', low: 'low' },
};

/** Impact × urgency → priority (LIFE-2). */
export function priorityOf(impact: Level, urgency: Level): Priority {
  return priorityMatrix[impact][urgency];
}

export const escalationLevels = ['frontline', 'handler', 'internal_review', 'external'] as const;
export type EscalationLevel = (typeof escalationLevels)[number];

export const closureReasons = [
  'resolved_accepted',
  'options_exhausted',
  'no_reply_within_window',
  'referred_external',
  'feedback_noted',
  'merged',
] as const;
export type ClosureReason = (typeof closureReasons)[number];

/** Closure rules (LIFE-7) that depend on the reason code chosen. Returns a refusal code or null. */
export function closureRefusal(
  c: Pick<ComplaintFacts, 'type' | 'state' | 'complainantDecision'>,
  reason: ClosureReason,
): string | null {
  if (reason === 'merged') return 'reason_reserved';
  if (c.type !== 'complaint') return reason === 'feedback_noted' ? null : 'reason_not_applicable';
  if (reason === 'feedback_noted') return 'reason_not_applicable';
  if (c.state === 'escalated') return reason === 'referred_external' ? null : 'escalation_pending';
  if (reason === 'resolved_accepted' && c.complainantDecision !== 'accepted')
    return 'not_accepted_by_complainant';
  return null;
}

export interface ApprovalRule {
  outcomes: Array<'upheld' | 'partly_upheld' | 'not_upheld'>;
  severities: string[];
  remedyAbove: number | null;
  aboutStaff: boolean;
}

export const defaultApprovalRule: ApprovalRule = {
  outcomes: ['not_upheld', 'partly_upheld'],
  severities: ['high', 'critical'],
  remedyAbove: 500,
  aboutStaff: true,
};

/** Does this drafted response need a second, independent approver (OBJ-3)? */
export function approvalRequired(
  rule: ApprovalRule,
  draft: { outcome: 'upheld' | 'partly_upheld' | 'not_upheld'; remedyTotal: number },
  complaint: { severity: string | null; subjectUserId: string | null },
): boolean {
  if (rule.outcomes.includes(draft.outcome)) return true;
  if (complaint.severity !== null && rule.severities.includes(complaint.severity)) return true;
  if (rule.remedyAbove !== null && draft.remedyTotal > rule.remedyAbove) return true;
  return rule.aboutStaff && complaint.subjectUserId !== null;
}
