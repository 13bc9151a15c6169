import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearApiKeyCache, createApiKey, revokeApiKey } from '../../src/identity/api-keys.ts';
import { roles, systemActor, type Role } from '../../src/identity/roles.ts';
import { actionNames, type ActionName, type State } from '../../src/complaints/lifecycle.ts';
import { startTestApp, type TestApp, type TestResponse } from '../helpers/app.ts';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';

/*
 * The permission matrix through HTTP (PRIV-1, LIFE-1): every role, signed in or as an API key, against every action
 * in a state where the action is legal. The expectations are written out here, not read from the machine.
 */

const frontline: readonly Role[] = ['intake', 'handler', 'manager'];
const caseWorkers: readonly Role[] = ['handler', 'manager'];
const rolesFor: Record<ActionName, readonly Role[]> = {
  acknowledge: frontline,
  assess: caseWorkers,
  assign: caseWorkers,
  add_note: frontline,
  add_attachment: frontline,
  add_message: frontline,
  add_task: caseWorkers,
  complete_task: caseWorkers,
  request_information: caseWorkers,
  information_received: frontline,
  link: caseWorkers,
  mark_duplicate: caseWorkers,
  merge: caseWorkers,
  draft_response: caseWorkers,
  approve_response: ['manager'],
  send_response: caseWorkers,
  complainant_accepts: frontline,
  complainant_rejects: frontline,
  escalate: frontline,
  reopen: caseWorkers,
  withdraw: frontline,
  close: caseWorkers,
};

/** The state each action leaves the prepared complaint in. */
const resultState: Record<ActionName, State> = {
  acknowledge: 'acknowledged',
  assess: 'assessed',
  assign: 'received',
  add_note: 'received',
  add_attachment: 'received',
  add_message: 'received',
  add_task: 'received',
  complete_task: 'received',
  request_information: 'awaiting_complainant',
  information_received: 'under_investigation',
  link: 'received',
  mark_duplicate: 'received',
  merge: 'closed',
  draft_response: 'response_drafted',
  approve_response: 'response_approved',
  send_response: 'response_sent',
  complainant_accepts: 'response_sent',
  complainant_rejects: 'response_sent',
  escalate: 'escalated',
  reopen: 'reopened',
  withdraw: 'withdrawn',
  close: 'closed',
};

interface Caller {
  label: string;
  role: Role;
  as: StaffUser | string;
  /** false for handlers outside the complaint's team (and handler API keys, which belong to no team). */
  inScope: boolean;
}

let t: TestApp;
let setup: StaffUser;
let callers: Caller[];
let otherRef: string;

const path = (ref: string, name: ActionName) => `/api/complaints/${ref}/${name.replaceAll('_', '-')}`;

async function ok(as: StaffUser | string, method: string, url: string, body?: unknown): Promise<TestResponse> {
  const res = await t.call(as, method, url, body);
  expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res;
}

/** A fresh complaint of the payments team. */
async function fresh(): Promise<string> {
  const res = await ok(setup, 'POST', '/api/complaints', complaintInput({ category: 'payments.fraud' }));
  return res.body.reference as string;
}

/** Drives a fresh complaint (as a manager) into a state where the action is legal; returns its reference and the action's body. */
async function prepare(name: ActionName): Promise<{ ref: string; body: Record<string, unknown> }> {
  const ref = await fresh();
  const step = (action: ActionName, body: unknown = {}) => ok(setup, 'POST', path(ref, action), body);
  const investigate = async () => {
    await step('assess', { impact: 'medium', urgency: 'low' });
    await step('assign', { ownerId: setup.id, attestNoConflict: true });
  };
  switch (name) {
    case 'acknowledge':
      return { ref, body: {} };
    case 'assess':
      return { ref, body: { impact: 'medium', urgency: 'low', severity: 'low' } };
    case 'assign':
      return { ref, body: { team: 'payments', reason: 'Rebalancing the queue' } };
    case 'add_note':
      return { ref, body: { body: 'Called the branch.' } };
    case 'add_attachment':
      return { ref, body: { filename: 'statement.txt', contentBase64: Buffer.from('Statement line 1\n').toString('base64') } };
    case 'add_message':
      return { ref, body: { body: 'The complainant called: the fee is still on the statement.', subject: 'Call' } };
    case 'add_task':
      return { ref, body: { title: 'Check the card logs' } };
    case 'complete_task': {
      await step('add_task', { title: 'Check the card logs' });
      const full = await ok(setup, 'GET', `/api/complaints/${ref}`);
      return { ref, body: { taskId: full.body.tasks[0].id } };
    }
    case 'request_information':
      await step('acknowledge');
      return { ref, body: { message: 'Please send the statement.' } };
    case 'information_received':
      await step('acknowledge');
      await step('request_information', { message: 'Please send the statement.' });
      return { ref, body: { message: 'Statement received by post.' } };
    case 'link':
      return { ref, body: { other: otherRef } };
    case 'mark_duplicate':
      return { ref, body: { of: otherRef } };
    case 'merge':
      return { ref, body: { into: otherRef, reason: 'Same complaint twice' } };
    case 'draft_response':
      await investigate();
      return { ref, body: { outcome: 'upheld', reasons: 'The fee was wrong.', remedies: [{ key: 'apology' }] } };
    case 'approve_response':
      await investigate();
      await step('draft_response', { outcome: 'not_upheld', reasons: 'The fee is in the tariff.' });
      return { ref, body: { comment: 'Agreed.' } };
    case 'send_response':
      await investigate();
      await step('draft_response', { outcome: 'upheld', reasons: 'The fee was wrong.' });
      return { ref, body: {} };
    case 'complainant_accepts':
    case 'complainant_rejects':
      await investigate();
      await step('draft_response', { outcome: 'upheld', reasons: 'The fee was wrong.' });
      await step('send_response');
      return { ref, body: name === 'complainant_rejects' ? { reason: 'Not enough.' } : {} };
    case 'escalate':
      await step('acknowledge');
      return { ref, body: { level: 'handler', reason: 'The complainant asked for a review.' } };
    case 'reopen':
      await step('assess', { inScope: false, scopeReason: 'Not our product.' });
      return { ref, body: { reason: 'It was our product after all.' } };
    case 'withdraw':
      return { ref, body: { reason: 'Sorted out with the branch.' } };
    case 'close':
      await step('acknowledge');
      await step('escalate', { level: 'handler', reason: 'Review requested.' });
      return { ref, body: { reason: 'referred_external' } };
    default: {
      const never: never = name;
      throw new Error(`no preparation for ${String(never)}`);
    }
  }
}

/** A body of the right shape for each action (whatever the state). */
function wellFormed(name: ActionName, other: string): Record<string, unknown> {
  const bodies: Record<ActionName, Record<string, unknown>> = {
    acknowledge: {},
    assess: { impact: 'low', urgency: 'low' },
    assign: { team: 'payments' },
    add_note: { body: 'A note.' },
    add_attachment: { filename: 'a.txt', contentBase64: Buffer.from('hello').toString('base64') },
    add_message: { body: 'A message.' },
    add_task: { title: 'A task' },
    complete_task: { taskId: randomUUID() },
    request_information: { message: 'Please send the statement.' },
    information_received: {},
    link: { other },
    mark_duplicate: { of: other },
    merge: { into: other },
    draft_response: { outcome: 'upheld', reasons: 'Because.' },
    approve_response: {},
    send_response: {},
    complainant_accepts: {},
    complainant_rejects: {},
    escalate: { level: 'handler', reason: 'Review.' },
    reopen: { reason: 'Again.' },
    withdraw: {},
    close: { reason: 'options_exhausted' },
  };
  return bodies[name];
}

const expectedStatus = (c: Caller, name: ActionName) => (!rolesFor[name].includes(c.role) ? 403 : c.inScope ? 200 : 404);

beforeAll(async () => {
  t = await startTestApp();
  const db = t.database.db;
  setup = await buildStaff(db, 'manager', ['payments']);
  callers = [];
  for (const role of roles) {
    const user = await buildStaff(db, role, role === 'handler' ? ['payments'] : []);
    callers.push({ label: `${role} (session)`, role, as: user, inScope: true });
    // a key acts for teams like a user: a handler key of the payments team works that team's complaints
    const key = await createApiKey(db, systemActor, { name: `test-${role}`, role, teams: role === 'handler' ? ['payments'] : [] });
    callers.push({ label: `${role} (API key)`, role, as: key.key, inScope: true });
  }
  // a handler key of no team sees only complaints it owns, i.e. none
  const teamless = await createApiKey(db, systemActor, { name: 'test-handler-no-team', role: 'handler' });
  callers.push({ label: 'handler (API key, no team)', role: 'handler', as: teamless.key, inScope: false });
  const otherTeamHandler = await buildStaff(db, 'handler', ['energy']);
  callers.push({ label: 'handler of another team', role: 'handler', as: otherTeamHandler, inScope: false });
  otherRef = await fresh();
});
afterAll(() => t.close());

describe('every role × every action, in a state where the action is legal', () => {
  for (const name of actionNames) {
    it(`${name}: ${rolesFor[name].join(', ')} may; the others are refused`, async () => {
      // refusals do not change anything, so the refused callers share one prepared complaint
      const shared = await prepare(name);
      const before = await ok(setup, 'GET', `/api/complaints/${shared.ref}`);
      for (const c of callers) {
        const expected = expectedStatus(c, name);
        if (expected === 200) continue;
        const res = await t.call(c.as, 'POST', path(shared.ref, name), shared.body);
        expect(res.status, `${c.label}: ${JSON.stringify(res.body)}`).toBe(expected);
        expect(res.headers.get('content-type'), c.label).toContain('application/problem+json');
        expect(res.body.code, c.label).toBe(expected === 403 ? 'role_not_permitted' : 'not_found');
      }
      const after = await ok(setup, 'GET', `/api/complaints/${shared.ref}`);
      expect(after.body.version).toBe(before.body.version);
      expect(after.body.state).toBe(before.body.state);

      // each caller that may act gets a complaint of its own
      for (const c of callers) {
        if (expectedStatus(c, name) !== 200) continue;
        const { ref, body } = await prepare(name);
        const res = await t.call(c.as, 'POST', path(ref, name), body);
        expect(res.status, `${c.label}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body.state, c.label).toBe(resultState[name]);
        expect(res.body.version, c.label).toBeGreaterThan(1);
      }
    });
  }
});

describe('API keys drafting and approving responses', () => {
  for (const name of ['draft_response', 'approve_response'] as const) {
    it(`a manager API key can ${name} (API-1: every staff action through the API)`, async () => {
      const key = callers.find((c) => c.label === 'manager (API key)')!;
      const { ref, body } = await prepare(name);
      const res = await t.call(key.as, 'POST', path(ref, name), body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    });
  }
});

describe('reading', () => {
  it('every role reads a complaint of its scope; handlers outside the team get 404', async () => {
    const ref = await fresh();
    for (const c of callers) {
      const res = await t.call(c.as, 'GET', `/api/complaints/${ref}`);
      expect(res.status, c.label).toBe(c.inScope ? 200 : 404);
      if (!c.inScope) {
        expect(res.body.code).toBe('not_found');
        continue;
      }
      const history = await t.call(c.as, 'GET', `/api/complaints/${ref}/history`);
      expect(history.status, c.label).toBe(200);
      const list = await t.call(c.as, 'GET', '/api/complaints');
      expect(list.status, c.label).toBe(200);
      expect(list.body.items.map((i: { reference: string }) => i.reference), c.label).toContain(ref);
    }
  });

  it('quality, auditor and admin read but every action is refused (and none is offered)', async () => {
    const ref = await fresh();
    for (const c of callers.filter((x) => ['quality', 'auditor', 'admin'].includes(x.role))) {
      const read = await t.call(c.as, 'GET', `/api/complaints/${ref}`);
      expect(read.status, c.label).toBe(200);
      expect(read.body.allowedActions, c.label).toEqual([]);
      for (const name of actionNames) {
        // a well-formed body, so that only the role can be the reason for the refusal
        const res = await t.call(c.as, 'POST', path(ref, name), wellFormed(name, otherRef));
        expect(res.status, `${c.label} ${name}: ${JSON.stringify(res.body)}`).toBe(403);
        expect(res.body.code).toBe('role_not_permitted');
      }
      const create = await t.call(c.as, 'POST', '/api/complaints', complaintInput());
      expect(create.status, c.label).toBe(403);
      expect(create.body.code).toBe('role_not_permitted');
    }
    const after = await ok(setup, 'GET', `/api/complaints/${ref}`);
    expect(after.body.version).toBe(1);
  });

  it('quality and auditor see no personal data; intake, handler and manager do', async () => {
    const input = complaintInput({ category: 'payments.fraud' });
    const { body } = await ok(setup, 'POST', '/api/complaints', input);
    for (const c of callers) {
      if (!c.inScope) continue;
      const res = await t.call(c.as, 'GET', `/api/complaints/${body.reference}`);
      expect(res.status, c.label).toBe(200);
      if (c.role === 'quality' || c.role === 'auditor') {
        expect(res.body.complainant, c.label).toBeNull();
        expect(res.body.complainantRedacted, c.label).toBe(true);
        expect(JSON.stringify(res.body), c.label).not.toContain(input.complainant.email);
      } else if (frontline.includes(c.role)) {
        expect(res.body.complainantRedacted, c.label).toBe(false);
        expect(res.body.complainant.email, c.label).toBe(input.complainant.email);
      }
    }
  });
});

describe('creating complaints', () => {
  it('intake, handler and manager (sessions and keys) create; quality, auditor and admin are refused', async () => {
    for (const c of callers) {
      if (c.role === 'handler') continue; // below
      const res = await t.call(c.as, 'POST', '/api/complaints', complaintInput({ category: 'payments.fraud' }));
      if (frontline.includes(c.role)) {
        expect(res.status, `${c.label}: ${JSON.stringify(res.body)}`).toBe(201);
        expect(res.body.channel).toBe('phone');
      } else {
        expect(res.status, c.label).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.code).toBe('role_not_permitted');
      }
    }
  });

  it('a handler creates a complaint for their own team', async () => {
    const handler = callers.find((c) => c.label === 'handler (session)')!;
    const res = await t.call(handler.as, 'POST', '/api/complaints', complaintInput({ category: 'payments.fraud' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  // Whoever records a complaint is told it was created, even when it belongs to a team outside their scope.
  it('a handler recording a complaint for another team is told it was created (not 404)', async () => {
    const handler = callers.find((c) => c.label === 'handler (session)')!;
    const before = await t.database.db.selectFrom('complaints').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const res = await t.call(handler.as, 'POST', '/api/complaints', complaintInput({ category: 'energy.billing' }));
    const after = await t.database.db.selectFrom('complaints').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1); // it was created …
    expect(res.status).toBe(201); // … and the answer says so
  });

  it('a handler API key recording a complaint is told it was created (not 404)', async () => {
    const key = callers.find((c) => c.label === 'handler (API key, no team)')!;
    const res = await t.call(key.as, 'POST', '/api/complaints', complaintInput({ category: 'payments.fraud' }));
    expect(res.status).toBe(201);
  });

  it('an API key is created for known teams only, and a team key reads its team\'s complaints', async () => {
    const admin = callers.find((c) => c.label === 'admin (session)')!;
    const bad = await t.call(admin.as, 'POST', '/api/api-keys', { name: 'x', role: 'handler', teams: ['payments', 'no-such-team'] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('unknown_team');
    const made = await t.call(admin.as, 'POST', '/api/api-keys', { name: 'payments-bot', role: 'handler', teams: ['payments'] });
    expect(made.status).toBe(201);
    expect(made.body.teams).toEqual(['payments']);
    const ref = (await t.call(setup, 'POST', '/api/complaints', complaintInput({ category: 'payments.fraud' }))).body.reference as string;
    expect((await t.call(made.body.key as string, 'GET', `/api/complaints/${ref}`)).status).toBe(200);
    const listed = await t.call(made.body.key as string, 'GET', '/api/complaints?limit=200');
    expect(listed.body.items.map((x: { reference: string }) => x.reference)).toContain(ref);
  });
});

describe('authentication', () => {
  it('no credentials → 401 problem on every complaint endpoint', async () => {
    const ref = await fresh();
    for (const [method, url, body] of [
      ['GET', '/api/complaints', undefined],
      ['GET', `/api/complaints/${ref}`, undefined],
      ['GET', `/api/complaints/${ref}/history`, undefined],
      ['POST', '/api/complaints', complaintInput()],
      ['POST', path(ref, 'acknowledge'), {}],
      ['POST', path(ref, 'add_note'), { body: 'x' }],
    ] as const) {
      const res = await t.call(null, method, url, body);
      expect(res.status, `${method} ${url}`).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('unauthenticated');
    }
    expect((await ok(setup, 'GET', `/api/complaints/${ref}`)).body.version).toBe(1);
  });

  it('an unknown session cookie → 401', async () => {
    const res = await t.call(null, 'GET', '/api/complaints', undefined, { cookie: 'redress_session=not-a-session' });
    expect(res.status).toBe(401);
  });

  it('an invalid API key → 401 invalid_api_key', async () => {
    for (const key of ['rdk_nope_nope', 'x', 'rdk_' + 'a'.repeat(60)]) {
      const res = await t.call(key, 'GET', '/api/complaints');
      expect(res.status, key).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('invalid_api_key');
    }
  });

  it('a revoked API key → 401 (at the latest once the 10 s cache is cleared)', async () => {
    const db = t.database.db;
    const key = await createApiKey(db, systemActor, { name: 'to-revoke', role: 'manager' });
    expect((await t.call(key.key, 'GET', '/api/complaints')).status).toBe(200);
    expect(await revokeApiKey(db, systemActor, key.id)).toBe(true);
    clearApiKeyCache();
    const res = await t.call(key.key, 'GET', '/api/complaints');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_api_key');
    const write = await t.call(key.key, 'POST', '/api/complaints', complaintInput());
    expect(write.status).toBe(401);
  });
});
