import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { roles, type ActorRole } from '../identity/roles.ts';
import {
  actionNames,
  actions,
  allowedActions,
  approvalRequired,
  canSee,
  checkAction,
  closureReasons,
  closureRefusal,
  defaultApprovalRule,
  finalStates,
  impactLevels,
  mermaidDiagram,
  openStates,
  priorityOf,
  states,
  transitions,
  type ActionName,
  type ActorFacts,
  type ApprovalRule,
  type ClosureReason,
  type ComplaintFacts,
  type Level,
  type Priority,
  type State,
} from './lifecycle.ts';

/*
 * The expectations below are written out by hand from the description of the lifecycle (LIFE-1…LIFE-8,
 * OBJ-1…OBJ-4, AUD-3), not read from `actions[x].from`: a wrong declaration in lifecycle.ts must make a test fail.
 */

const OPEN: readonly State[] = [
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
];
const FINAL: readonly State[] = ['closed', 'withdrawn', 'out_of_scope'];

/** From which states each action is legal (before guards). */
const legalFrom: Record<ActionName, readonly State[]> = {
  // receipt is acknowledged once, right after it arrives
  acknowledge: ['received'],
  // the initial assessment, and a re-assessment while the case is being worked (never once answered)
  assess: ['received', 'acknowledged', 'assessed', 'under_investigation', 'reopened'],
  // (re)assignment, notes, attachments, tasks, links: any open case; a closed record never changes (AUD-3)
  assign: OPEN,
  add_note: OPEN,
  add_attachment: OPEN,
  add_message: OPEN,
  add_task: OPEN,
  complete_task: OPEN,
  link: OPEN,
  mark_duplicate: OPEN,
  merge: OPEN,
  withdraw: OPEN,
  // asking the complainant: once acknowledged, while the case is worked (not while already waiting, not once answered)
  request_information: ['acknowledged', 'assessed', 'under_investigation', 'escalated', 'reopened'],
  information_received: ['awaiting_complainant'],
  // a response is drafted after assessment (and may be redrafted before approval)
  draft_response: ['assessed', 'under_investigation', 'response_drafted', 'escalated', 'reopened'],
  approve_response: ['response_drafted'],
  send_response: ['response_drafted', 'response_approved'],
  complainant_accepts: ['response_sent'],
  complainant_rejects: ['response_sent'],
  // escalation at any open stage after receipt
  escalate: [
    'acknowledged',
    'assessed',
    'under_investigation',
    'awaiting_complainant',
    'response_drafted',
    'response_approved',
    'response_sent',
    'escalated',
    'reopened',
  ],
  // only closed (and out-of-scope) cases reopen; a withdrawal is the complainant's own final word
  reopen: ['closed', 'out_of_scope'],
  // feedback closes early (short path); complaints close once answered or escalated (guard below)
  close: ['received', 'acknowledged', 'assessed', 'response_sent', 'escalated'],
};

/**
 * Who may take each action. Staff roles, and the complainant acting on their own case through the portal or e-mail
 * (PORT-3: reply to requests for information, add attachments, accept or reject, ask for escalation, withdraw).
 */
const frontlineRoles: readonly ActorRole[] = ['intake', 'handler', 'manager'];
const caseWorkerRoles: readonly ActorRole[] = ['handler', 'manager'];
const complainantToo: readonly ActorRole[] = [...frontlineRoles, 'complainant'];
const rolesFor: Record<ActionName, readonly ActorRole[]> = {
  acknowledge: frontlineRoles,
  assess: caseWorkerRoles,
  assign: caseWorkerRoles,
  add_note: frontlineRoles,
  add_attachment: complainantToo,
  add_message: complainantToo,
  add_task: caseWorkerRoles,
  complete_task: caseWorkerRoles,
  request_information: caseWorkerRoles,
  information_received: complainantToo,
  link: caseWorkerRoles,
  mark_duplicate: caseWorkerRoles,
  merge: caseWorkerRoles,
  draft_response: caseWorkerRoles,
  approve_response: ['manager'],
  send_response: caseWorkerRoles,
  complainant_accepts: complainantToo,
  complainant_rejects: complainantToo,
  escalate: complainantToo,
  reopen: caseWorkerRoles,
  withdraw: complainantToo,
  close: caseWorkerRoles,
};
const actorRoles: readonly ActorRole[] = [...roles, 'complainant'];

/** The state each state-changing action leads to (`same` when it keeps the state). */
const leadsTo: Record<ActionName, readonly (State | 'same')[]> = {
  acknowledge: ['acknowledged'],
  assess: ['assessed', 'out_of_scope', 'same'],
  assign: ['same', 'under_investigation'],
  add_note: ['same'],
  add_attachment: ['same'],
  add_message: ['same'],
  add_task: ['same'],
  complete_task: ['same'],
  request_information: ['awaiting_complainant'],
  information_received: ['under_investigation'],
  link: ['same'],
  mark_duplicate: ['same'],
  merge: ['closed'],
  draft_response: ['response_drafted'],
  approve_response: ['response_approved'],
  send_response: ['response_sent'],
  complainant_accepts: ['same'],
  complainant_rejects: ['same'],
  escalate: ['escalated'],
  reopen: ['reopened'],
  withdraw: ['withdrawn'],
  close: ['closed'],
};

const TEAM = 'team-payments';
const OTHER_TEAM = 'team-energy';

const complaint = (over: Partial<ComplaintFacts> = {}): ComplaintFacts => ({
  type: 'complaint',
  state: 'received',
  teamId: TEAM,
  ownerId: null,
  subjectUserId: null,
  draftedBy: null,
  approvalRequired: false,
  complainantDecision: null,
  closureReason: null,
  decisionMakers: [],
  ...over,
});
const actor = (role: ActorRole, over: Partial<ActorFacts> = {}): ActorFacts => ({
  id: `user-${role}`,
  role,
  teamIds: role === 'handler' ? [TEAM] : [],
  ...over,
});
const manager = actor('manager');

describe('the declared vocabulary', () => {
  it('has exactly the states of LIFE-1, the final ones being closed, withdrawn and out of scope', () => {
    expect([...states].sort()).toEqual([...OPEN, ...FINAL].sort());
    expect([...finalStates].sort()).toEqual([...FINAL].sort());
    expect([...openStates].sort()).toEqual([...OPEN].sort());
  });

  it('has exactly the actions of the issue, each declaring the targets expected of it', () => {
    expect([...actionNames].sort()).toEqual(Object.keys(legalFrom).sort());
    for (const name of actionNames) {
      expect(actions[name].name).toBe(name);
      expect([...actions[name].to].sort(), name).toEqual([...leadsTo[name]].sort());
    }
  });
});

describe('every state × every action, for a manager (the expectation table above)', () => {
  /** The guard refusal expected for the default facts (a complaint, nothing drafted, no decision yet). */
  const guardFor = (name: ActionName, state: State): string | null =>
    name === 'close' && !['response_sent', 'escalated'].includes(state) ? 'response_not_sent' : null;

  for (const state of states) {
    for (const name of actionNames) {
      const legal = legalFrom[name].includes(state);
      const guard = legal ? guardFor(name, state) : null;
      const expected = !legal ? 'invalid_transition' : (guard ?? 'allowed');
      it(`${state} × ${name} → ${expected}`, () => {
        const facts = complaint({ state, draftedBy: state === 'response_drafted' || state === 'response_approved' ? 'user-other' : null });
        const refusal = checkAction(name, facts, manager);
        if (expected === 'allowed') expect(refusal).toBeNull();
        else expect(refusal).toEqual({ kind: 'conflict', code: expected });
      });
    }
  }

  it('allowedActions lists exactly the allowed cells of each state', () => {
    for (const state of states) {
      const facts = complaint({ state, draftedBy: 'user-other' });
      const expected = actionNames.filter(
        (n) => legalFrom[n].includes(state) && !(n === 'close' && !['response_sent', 'escalated'].includes(state)),
      );
      expect(allowedActions(facts, manager), state).toEqual(expected);
    }
  });

  it('a closed, withdrawn or out-of-scope record allows nothing but reopening (AUD-3)', () => {
    expect(allowedActions(complaint({ state: 'closed', closureReason: 'resolved_accepted' }), manager)).toEqual(['reopen']);
    expect(allowedActions(complaint({ state: 'out_of_scope', closureReason: 'out_of_scope' }), manager)).toEqual(['reopen']);
    expect(allowedActions(complaint({ state: 'withdrawn', closureReason: 'withdrawn' }), manager)).toEqual([]);
  });

  it('suggestions and compliments take the short path: closed at once, never drafted or escalated', () => {
    for (const type of ['suggestion', 'compliment'] as const) {
      for (const state of ['received', 'acknowledged', 'assessed'] as const) {
        expect(checkAction('close', complaint({ type, state }), manager), `${type} ${state}`).toBeNull();
      }
      expect(checkAction('draft_response', complaint({ type, state: 'assessed' }), manager)).toEqual({
        kind: 'conflict',
        code: 'not_a_complaint',
      });
      expect(checkAction('escalate', complaint({ type, state: 'acknowledged' }), manager)).toEqual({
        kind: 'conflict',
        code: 'not_a_complaint',
      });
    }
  });
});

describe('transitions and the diagram', () => {
  it('every drawn transition starts from a legal state and ends in a declared target', () => {
    for (const t of transitions()) {
      expect(legalFrom[t.action], `${t.from} --${t.action}--> ${t.to}`).toContain(t.from);
      expect(leadsTo[t.action]).toContain(t.to);
    }
  });

  it('draws the main path of LIFE-1 and the side states', () => {
    const has = (from: State, to: State, action: ActionName) =>
      transitions().some((t) => t.from === from && t.to === to && t.action === action);
    expect(has('received', 'acknowledged', 'acknowledge')).toBe(true);
    expect(has('acknowledged', 'assessed', 'assess')).toBe(true);
    expect(has('assessed', 'under_investigation', 'assign')).toBe(true);
    expect(has('under_investigation', 'response_drafted', 'draft_response')).toBe(true);
    expect(has('response_drafted', 'response_approved', 'approve_response')).toBe(true);
    expect(has('response_approved', 'response_sent', 'send_response')).toBe(true);
    expect(has('response_sent', 'closed', 'close')).toBe(true);
    expect(has('closed', 'reopened', 'reopen')).toBe(true);
    expect(has('under_investigation', 'awaiting_complainant', 'request_information')).toBe(true);
    expect(has('awaiting_complainant', 'under_investigation', 'information_received')).toBe(true);
    expect(has('received', 'out_of_scope', 'assess')).toBe(true);
    // assign moves to investigation only from assessed and reopened; elsewhere it keeps the state
    expect(has('received', 'under_investigation', 'assign')).toBe(false);
    expect(has('withdrawn', 'reopened', 'reopen')).toBe(false);
  });

  it('mermaidDiagram() is a state diagram naming every state', () => {
    const diagram = mermaidDiagram();
    expect(diagram.split('\n')[0]).toBe('stateDiagram-v2');
    expect(diagram).toContain('[*] --> received: create');
    for (const s of states) expect(diagram, s).toMatch(new RegExp(`(^|\\s)${s}(\\s|:|$)`, 'm'));
    for (const s of FINAL) expect(diagram).toContain(`${s} --> [*]`);
  });

  it('ARCHITECTURE.md holds exactly the current diagram between the lifecycle markers (run `npx tsx scripts/architecture.ts`)', () => {
    const text = readFileSync(new URL('../../ARCHITECTURE.md', import.meta.url), 'utf8');
    const start = '<!-- lifecycle:start -->';
    const end = '<!-- lifecycle:end -->';
    expect(text).toContain(start);
    expect(text).toContain(end);
    const between = text.slice(text.indexOf(start) + start.length, text.indexOf(end));
    expect(between).toBe(`\n\`\`\`mermaid\n${mermaidDiagram()}\n\`\`\`\n`);
  });
});

describe('the permission matrix: every role × every action in a state where it is legal', () => {
  /** A state (and facts) in which the action is legal and its guard passes for a fresh actor. */
  const legalCase: Record<ActionName, Partial<ComplaintFacts>> = {
    acknowledge: { state: 'received' },
    assess: { state: 'acknowledged' },
    assign: { state: 'assessed' },
    add_note: { state: 'under_investigation' },
    add_attachment: { state: 'awaiting_complainant' },
    add_message: { state: 'response_sent' },
    add_task: { state: 'under_investigation' },
    complete_task: { state: 'under_investigation' },
    request_information: { state: 'under_investigation' },
    information_received: { state: 'awaiting_complainant' },
    link: { state: 'assessed' },
    mark_duplicate: { state: 'received' },
    merge: { state: 'acknowledged' },
    draft_response: { state: 'under_investigation' },
    approve_response: { state: 'response_drafted', draftedBy: 'user-drafter', approvalRequired: true },
    send_response: { state: 'response_approved', draftedBy: 'user-drafter', approvalRequired: true },
    complainant_accepts: { state: 'response_sent' },
    complainant_rejects: { state: 'response_sent' },
    escalate: { state: 'response_sent', complainantDecision: 'rejected' },
    reopen: { state: 'closed', closureReason: 'resolved_accepted' },
    withdraw: { state: 'under_investigation' },
    close: { state: 'response_sent', complainantDecision: 'accepted' },
  };

  for (const name of actionNames) {
    for (const role of actorRoles) {
      const may = rolesFor[name].includes(role);
      const test = it;
      test(`${role} × ${name} (${legalCase[name].state}) → ${may ? 'allowed' : 'role_not_permitted'}`, () => {
        const refusal = checkAction(name, complaint(legalCase[name]), actor(role));
        if (may) expect(refusal).toBeNull();
        else expect(refusal).toEqual({ kind: 'forbidden', code: 'role_not_permitted' });
      });
    }
  }

  it('quality, auditor and admin may take no action in any state (read-only roles)', () => {
    for (const role of ['quality', 'auditor', 'admin'] as const) {
      for (const state of states) {
        expect(allowedActions(complaint({ state, draftedBy: 'user-other' }), actor(role)), `${role} ${state}`).toEqual([]);
      }
    }
  });

  it('the role check comes before the state check (a refused role learns nothing about the state)', () => {
    expect(checkAction('approve_response', complaint({ state: 'received' }), actor('handler'))).toEqual({
      kind: 'forbidden',
      code: 'role_not_permitted',
    });
  });
});

describe('team scope and the subject of a complaint (PRIV-1, OBJ-4)', () => {
  const handlerIn = actor('handler', { id: 'h-1', teamIds: [TEAM] });

  it('a handler acts on their own team’s complaints', () => {
    expect(canSee(complaint(), handlerIn)).toBe(true);
    expect(checkAction('acknowledge', complaint(), handlerIn)).toBeNull();
  });

  it('a handler does not see another team’s complaint: out_of_scope_for_user, whatever the action', () => {
    const other = complaint({ teamId: OTHER_TEAM });
    expect(canSee(other, handlerIn)).toBe(false);
    for (const name of actionNames) {
      if (!rolesFor[name].includes('handler')) continue;
      expect(checkAction(name, other, handlerIn), name).toEqual({ kind: 'forbidden', code: 'out_of_scope_for_user' });
    }
  });

  it('a handler sees a complaint they own, even in another team', () => {
    const owned = complaint({ teamId: OTHER_TEAM, ownerId: 'h-1', state: 'under_investigation' });
    expect(canSee(owned, handlerIn)).toBe(true);
    expect(checkAction('add_note', owned, handlerIn)).toBeNull();
  });

  it('a complaint without a team is visible to no handler but its owner', () => {
    expect(canSee(complaint({ teamId: null }), handlerIn)).toBe(false);
    expect(canSee(complaint({ teamId: null, ownerId: 'h-1' }), handlerIn)).toBe(true);
  });

  it('a handler without any team sees only complaints they own', () => {
    const teamless = actor('handler', { id: 'h-2', teamIds: [] });
    expect(canSee(complaint(), teamless)).toBe(false);
    expect(canSee(complaint({ teamId: null }), teamless)).toBe(false);
    expect(canSee(complaint({ ownerId: 'h-2' }), teamless)).toBe(true);
    expect(checkAction('add_note', complaint(), teamless)).toEqual({ kind: 'forbidden', code: 'out_of_scope_for_user' });
  });

  it('other roles are not scoped by team', () => {
    for (const role of ['intake', 'manager', 'quality', 'auditor', 'admin'] as const) {
      expect(canSee(complaint({ teamId: OTHER_TEAM }), actor(role)), role).toBe(true);
      expect(canSee(complaint({ teamId: null }), actor(role)), role).toBe(true);
    }
  });

  it('nobody, in any role, sees or acts on a complaint about themselves', () => {
    for (const role of roles) {
      const me = actor(role, { id: 'me', teamIds: [TEAM] });
      const aboutMe = complaint({ subjectUserId: 'me', ownerId: 'me' });
      expect(canSee(aboutMe, me), role).toBe(false);
      expect(allowedActions(aboutMe, me), role).toEqual([]);
      if (rolesFor.add_note.includes(role)) {
        expect(checkAction('add_note', aboutMe, me)).toEqual({ kind: 'forbidden', code: 'out_of_scope_for_user' });
      }
      // someone else sees it
      expect(canSee(aboutMe, actor(role, { id: 'someone-else', teamIds: [TEAM] })), role).toBe(true);
    }
  });

  it('an actor without an id (an integration) is never the subject', () => {
    expect(canSee(complaint({ subjectUserId: 'x' }), actor('manager', { id: null }))).toBe(true);
  });
});

describe('guards', () => {
  it('four eyes: the drafter cannot approve their own response; another manager can', () => {
    const drafted = complaint({ state: 'response_drafted', draftedBy: 'user-manager', approvalRequired: true });
    expect(checkAction('approve_response', drafted, manager)).toEqual({ kind: 'conflict', code: 'approver_is_drafter' });
    expect(checkAction('approve_response', drafted, actor('manager', { id: 'user-manager-2' }))).toBeNull();
  });

  it('the approver guard also refuses the staff member the complaint is about', () => {
    const guard = actions.approve_response.guard!;
    expect(guard(complaint({ state: 'response_drafted', draftedBy: 'x', subjectUserId: 'user-manager' }), manager)).toBe(
      'conflict_of_interest',
    );
  });

  it('the subject of a complaint cannot draft its response', () => {
    expect(actions.draft_response.guard!(complaint({ state: 'assessed', subjectUserId: 'user-manager' }), manager)).toBe(
      'conflict_of_interest',
    );
  });

  // OBJ-2: the reviewer of an escalated complaint is independent of every earlier decision maker, whoever owns it.
  it('an earlier decision maker cannot draft the response to the escalated complaint (OBJ-2)', () => {
    const escalated = complaint({ state: 'escalated', decisionMakers: ['user-handler'], ownerId: 'user-reviewer' });
    expect(checkAction('draft_response', escalated, actor('handler'))).not.toBeNull();
  });

  it('a response that needs approval is not sent before it is approved', () => {
    const drafted = complaint({ state: 'response_drafted', draftedBy: 'x', approvalRequired: true });
    expect(checkAction('send_response', drafted, manager)).toEqual({ kind: 'conflict', code: 'approval_required' });
    expect(checkAction('send_response', { ...drafted, approvalRequired: false }, manager)).toBeNull();
    expect(checkAction('send_response', { ...drafted, state: 'response_approved' }, manager)).toBeNull();
    expect(allowedActions(drafted, manager)).not.toContain('send_response');
  });

  it('the complainant’s decision is recorded once', () => {
    const sent = complaint({ state: 'response_sent' });
    expect(checkAction('complainant_accepts', { ...sent, complainantDecision: 'accepted' }, manager)).toEqual({
      kind: 'conflict',
      code: 'already_accepted',
    });
    expect(checkAction('complainant_rejects', { ...sent, complainantDecision: 'rejected' }, manager)).toEqual({
      kind: 'conflict',
      code: 'already_rejected',
    });
    // changing one's mind is recorded
    expect(checkAction('complainant_accepts', { ...sent, complainantDecision: 'rejected' }, manager)).toBeNull();
    expect(checkAction('complainant_rejects', { ...sent, complainantDecision: 'accepted' }, manager)).toBeNull();
  });

  it('a merged complaint cannot be reopened; other closed ones can', () => {
    expect(checkAction('reopen', complaint({ state: 'closed', closureReason: 'merged' }), manager)).toEqual({
      kind: 'conflict',
      code: 'merged_complaint',
    });
    for (const reason of ['resolved_accepted', 'options_exhausted', 'no_reply_within_window', 'referred_external']) {
      expect(checkAction('reopen', complaint({ state: 'closed', closureReason: reason }), manager), reason).toBeNull();
    }
    expect(checkAction('reopen', complaint({ state: 'out_of_scope', closureReason: 'out_of_scope' }), manager)).toBeNull();
  });

  it('a complaint closes only once answered or escalated', () => {
    for (const state of ['received', 'acknowledged', 'assessed'] as const) {
      expect(checkAction('close', complaint({ state }), manager), state).toEqual({ kind: 'conflict', code: 'response_not_sent' });
    }
    expect(checkAction('close', complaint({ state: 'response_sent' }), manager)).toBeNull();
    expect(checkAction('close', complaint({ state: 'escalated' }), manager)).toBeNull();
  });
});

describe('closureRefusal: the closure reason codes (LIFE-7)', () => {
  type Case = [type: ComplaintFacts['type'], state: State, decision: string | null, reason: ClosureReason, expected: string | null];
  const cases: Case[] = [
    // merged is set by the merge action only
    ['complaint', 'response_sent', 'accepted', 'merged', 'reason_reserved'],
    ['suggestion', 'received', null, 'merged', 'reason_reserved'],
    // feedback is "noted", and nothing else
    ['suggestion', 'received', null, 'feedback_noted', null],
    ['compliment', 'acknowledged', null, 'feedback_noted', null],
    ['suggestion', 'received', null, 'resolved_accepted', 'reason_not_applicable'],
    ['compliment', 'assessed', null, 'options_exhausted', 'reason_not_applicable'],
    ['suggestion', 'received', null, 'referred_external', 'reason_not_applicable'],
    ['complaint', 'response_sent', null, 'feedback_noted', 'reason_not_applicable'],
    // resolved only once the complainant accepted
    ['complaint', 'response_sent', 'accepted', 'resolved_accepted', null],
    ['complaint', 'response_sent', null, 'resolved_accepted', 'not_accepted_by_complainant'],
    ['complaint', 'response_sent', 'rejected', 'resolved_accepted', 'not_accepted_by_complainant'],
    // internal options exhausted, or no reply in the window
    ['complaint', 'response_sent', 'rejected', 'options_exhausted', null],
    ['complaint', 'response_sent', null, 'no_reply_within_window', null],
    ['complaint', 'response_sent', null, 'referred_external', null],
    // an escalated complaint closes only by referral to the external body
    ['complaint', 'escalated', null, 'referred_external', null],
    ['complaint', 'escalated', null, 'options_exhausted', 'escalation_pending'],
    ['complaint', 'escalated', 'accepted', 'resolved_accepted', 'escalation_pending'],
    ['complaint', 'escalated', null, 'no_reply_within_window', 'escalation_pending'],
  ];
  it.each(cases)('%s in %s (decision %s) closed as %s → %s', (type, state, decision, reason, expected) => {
    expect(closureRefusal({ type, state, complainantDecision: decision }, reason)).toBe(expected);
  });

  it('covers every closure reason', () => {
    expect(new Set(cases.map((c) => c[3]))).toEqual(new Set(closureReasons));
  });
});

describe('priorityOf: impact × urgency (LIFE-2)', () => {
  const expected: Array<[Level, Level, Priority]> = [
    ['high', 'high', 'critical'],
    ['high', 'medium', 'high'],
    ['high', 'low', 'medium'],
    ['medium', 'high', 'high'],
    ['medium', 'medium', 'medium'],
    ['medium', 'low', 'low'],
    ['low', 'high', 'medium'],
    ['low', 'medium', 'low'],
    ['low', 'low', 'low'],
  ];
  it.each(expected)('impact %s × urgency %s → %s', (impact, urgency, priority) => {
    expect(priorityOf(impact, urgency)).toBe(priority);
  });

  it('covers all 9 pairs, is symmetric and never decreases when either grows', () => {
    expect(expected).toHaveLength(impactLevels.length ** 2);
    const rank = { low: 0, medium: 1, high: 2, critical: 3 } as const;
    for (const i of impactLevels) {
      for (const u of impactLevels) {
        expect(priorityOf(i, u)).toBe(priorityOf(u, i));
        const next = impactLevels[impactLevels.indexOf(i) + 1];
        if (next) expect(rank[priorityOf(next, u)]).toBeGreaterThanOrEqual(rank[priorityOf(i, u)]);
      }
    }
  });
});

describe('approvalRequired (OBJ-3)', () => {
  const outcomes = ['upheld', 'partly_upheld', 'not_upheld'] as const;
  const severityArb = fc.constantFrom(null, 'low', 'medium', 'high', 'critical');
  const ruleArb: fc.Arbitrary<ApprovalRule> = fc.record({
    outcomes: fc.subarray([...outcomes]),
    severities: fc.subarray(['low', 'medium', 'high', 'critical']),
    remedyAbove: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
    aboutStaff: fc.boolean(),
  });
  const draftArb = fc.record({ outcome: fc.constantFrom(...outcomes), remedyTotal: fc.integer({ min: 0, max: 20_000 }) });
  const complaintArb = fc.record({ severity: severityArb, subjectUserId: fc.option(fc.constant('staff-1'), { nil: null }) });

  it('the default rule: rejections, partial upholds, high severity, remedies above 500 and complaints about staff', () => {
    const plain = { severity: null, subjectUserId: null };
    const r = defaultApprovalRule;
    expect(approvalRequired(r, { outcome: 'upheld', remedyTotal: 0 }, plain)).toBe(false);
    expect(approvalRequired(r, { outcome: 'not_upheld', remedyTotal: 0 }, plain)).toBe(true);
    expect(approvalRequired(r, { outcome: 'partly_upheld', remedyTotal: 0 }, plain)).toBe(true);
    expect(approvalRequired(r, { outcome: 'upheld', remedyTotal: 500 }, plain)).toBe(false);
    expect(approvalRequired(r, { outcome: 'upheld', remedyTotal: 500.01 }, plain)).toBe(true);
    expect(approvalRequired(r, { outcome: 'upheld', remedyTotal: 0 }, { severity: 'medium', subjectUserId: null })).toBe(false);
    expect(approvalRequired(r, { outcome: 'upheld', remedyTotal: 0 }, { severity: 'high', subjectUserId: null })).toBe(true);
    expect(approvalRequired(r, { outcome: 'upheld', remedyTotal: 0 }, { severity: 'critical', subjectUserId: null })).toBe(true);
    expect(approvalRequired(r, { outcome: 'upheld', remedyTotal: 0 }, { severity: null, subjectUserId: 'staff-1' })).toBe(true);
  });

  it('property: an empty rule never requires approval', () => {
    const empty: ApprovalRule = { outcomes: [], severities: [], remedyAbove: null, aboutStaff: false };
    fc.assert(fc.property(draftArb, complaintArb, (d, c) => !approvalRequired(empty, d, c)));
  });

  it('property: exactly when one of the conditions holds', () => {
    fc.assert(
      fc.property(ruleArb, draftArb, complaintArb, (rule, d, c) => {
        const expected =
          rule.outcomes.includes(d.outcome) ||
          (c.severity !== null && rule.severities.includes(c.severity)) ||
          (rule.remedyAbove !== null && d.remedyTotal > rule.remedyAbove) ||
          (rule.aboutStaff && c.subjectUserId !== null);
        expect(approvalRequired(rule, d, c)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: monotonic — adding a condition to the rule never turns approval off', () => {
    const extension = fc.record({
      outcomes: fc.subarray([...outcomes]),
      severities: fc.subarray(['low', 'medium', 'high', 'critical']),
      lowerBy: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
      aboutStaff: fc.boolean(),
    });
    fc.assert(
      fc.property(ruleArb, extension, draftArb, complaintArb, (rule, ext, d, c) => {
        const wider: ApprovalRule = {
          outcomes: [...new Set([...rule.outcomes, ...ext.outcomes])],
          severities: [...new Set([...rule.severities, ...ext.severities])],
          remedyAbove:
            rule.remedyAbove === null
              ? ext.lowerBy
              : ext.lowerBy === null
                ? rule.remedyAbove
                : Math.max(0, rule.remedyAbove - ext.lowerBy),
          aboutStaff: rule.aboutStaff || ext.aboutStaff,
        };
        if (approvalRequired(rule, d, c)) expect(approvalRequired(wider, d, c)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: monotonic in the case — a bigger remedy, a higher-listed severity or a staff subject never turn it off', () => {
    fc.assert(
      fc.property(ruleArb, draftArb, complaintArb, fc.integer({ min: 0, max: 5_000 }), (rule, d, c, more) => {
        if (!approvalRequired(rule, d, c)) return;
        expect(approvalRequired(rule, { ...d, remedyTotal: d.remedyTotal + more }, c)).toBe(true);
        expect(approvalRequired(rule, d, { ...c, subjectUserId: 'staff-2' })).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
