import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { createComplaint } from '../complaints/create-complaint.ts';
import { executeAction } from '../complaints/execute-action.ts';
import { handlers } from '../complaints/handlers.ts';
import type { ActionName, State } from '../complaints/lifecycle.ts';
import type { ActionInputs } from '../complaints/schemas.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { createUser } from '../identity/users.ts';
import { systemActor, type Actor } from '../identity/roles.ts';
import { demoCategoriesParentFirst, demoProducts, demoRemedies, demoTeams, demoUsers } from './catalogue.ts';
import { demoComplaintsInterleaved } from './corpus.ts';
import { createCapa } from '../improvement/capa.ts';
import { createSystemicRule } from '../improvement/systemic-issues.ts';

export interface DemoCredentials {
  email: string;
  role: string;
  password: string;
}

/** The catalogue of the demo organisation: teams, category tree, products, remedies. */
export async function seedCatalogue(db: Db): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const teamIds = new Map<string, string>();
    for (const t of demoTeams) {
      const id = randomUUID();
      teamIds.set(t.key, id);
      await tx.insertInto('teams').values({ id, key: t.key, name: t.name }).execute();
    }
    const categoryIds = new Map<string, string>();
    for (const c of demoCategoriesParentFirst()) {
      const id = randomUUID();
      categoryIds.set(c.key, id);
      await tx
        .insertInto('categories')
        .values({ id, key: c.key, name: c.name, parent_id: c.parentKey ? (categoryIds.get(c.parentKey) ?? null) : null, team_id: teamIds.get(c.teamKey) ?? null })
        .execute();
    }
    await tx.insertInto('products').values(demoProducts.map((p) => ({ id: randomUUID(), key: p.key, name: p.name }))).execute();
    await tx.insertInto('remedies').values(demoRemedies.map((r) => ({ id: randomUUID(), key: r.key, name: r.name, monetary: r.monetary }))).execute();
  });
  await getCatalogue(db, true);
}

/** One user per role (and a second handler and manager, for four-eyes), each with a fresh random password. */
export async function seedUsers(db: Db): Promise<{ credentials: DemoCredentials[]; actors: Map<string, Actor> }> {
  const credentials: DemoCredentials[] = [];
  const actors = new Map<string, Actor>();
  const catalogue = await getCatalogue(db);
  for (const u of demoUsers) {
    const password = randomBytes(12).toString('base64url');
    const { id } = await createUser(db, systemActor, { email: u.email, name: u.name, role: u.role, password, teamKeys: u.teamKeys });
    credentials.push({ email: u.email, role: u.role, password });
    const teamIds = u.teamKeys.map((k) => catalogue.teams.get(k)?.id).filter((x): x is string => x !== undefined);
    actors.set(u.email, { type: 'user', id, label: u.name, role: u.role, teamIds, channel: 'web' });
  }
  return { credentials, actors };
}

type Step = { [A in ActionName]: { action: A; input: ActionInputs[A]; as: 'intake' | 'owner' | 'manager' | 'approver' } }[ActionName];

const assess: Step = { action: 'assess', input: { inScope: true, impact: 'medium', urgency: 'high', complexity: 'standard' }, as: 'manager' };
const ack: Step = { action: 'acknowledge', input: {}, as: 'intake' };
const draft = (outcome: 'upheld' | 'not_upheld'): Step => ({
  action: 'draft_response',
  input: {
    outcome,
    reasons: outcome === 'upheld' ? 'We looked into this and agree that we got it wrong.' : 'We reviewed the records and the charge was applied correctly under the terms.',
    remedies: outcome === 'upheld' ? [{ key: 'apology' }, { key: 'refund', amount: 25 }] : [{ key: 'explanation' }],
  },
  as: 'owner',
});
const investigating: Step[] = [ack, assess, { action: 'assign', input: { ownerId: '$owner', reason: 'demo' }, as: 'manager' }];
const approve: Step = { action: 'approve_response', input: {}, as: 'approver' };
const sent: Step[] = [...investigating, draft('upheld'), approve, { action: 'send_response', input: {}, as: 'owner' }];
const closed: Step[] = [...sent, { action: 'complainant_accepts', input: {}, as: 'intake' }, { action: 'close', input: { reason: 'resolved_accepted' }, as: 'owner' }];

/** How to bring a demo complaint into each state of the machine. */
const paths: Record<State, Step[]> = {
  received: [],
  acknowledged: [ack],
  assessed: [ack, assess],
  under_investigation: [...investigating, { action: 'add_note', input: { body: 'Called the branch; waiting for the CCTV log.' }, as: 'owner' }],
  awaiting_complainant: [...investigating, { action: 'request_information', input: { message: 'Could you send us the statement page that shows the charge?' }, as: 'owner' }],
  response_drafted: [...investigating, draft('upheld')],
  response_approved: [...investigating, draft('not_upheld'), approve],
  response_sent: sent,
  escalated: [...sent, { action: 'complainant_rejects', input: { reason: 'Not enough' }, as: 'intake' }, { action: 'escalate', input: { level: 'internal_review', reason: 'Complainant rejected the outcome' }, as: 'intake' }],
  closed,
  reopened: [...closed, { action: 'reopen', input: { reason: 'The refund never arrived' }, as: 'manager' }],
  withdrawn: [ack, { action: 'withdraw', input: { reason: 'Resolved directly at the branch' }, as: 'intake' }],
  out_of_scope: [ack, { action: 'assess', input: { inScope: false, scopeReason: 'About a third-party retailer, not our service' }, as: 'manager' }],
};
const stateCycle: State[] = Object.keys(paths) as State[];

/** Plausible root causes by category family (IMP-3), skewed so that a Pareto of root causes shows a few big ones. */
const demoRootCauses: Record<string, string[]> = {
  fees: ['product.terms', 'product.terms', 'system.data', 'policy.unclear', 'product.terms'],
  payments: ['third_party.supplier', 'system.outage', 'process.delay', 'people.error', 'system.outage'],
  digital: ['system.defect', 'system.outage', 'system.defect', 'product.defect'],
  service: ['people.training', 'process.delay', 'people.conduct', 'process.handoff', 'process.delay'],
  energy: ['system.data', 'third_party.partner', 'process.delay', 'system.data'],
  lending: ['policy.unfair', 'process.design', 'people.error', 'process.delay'],
  privacy: ['process.design', 'people.training'],
};
export function demoRootCause(categoryKey: string, i: number): string {
  const list = demoRootCauses[categoryKey.split('.')[0]!] ?? ['process.design', 'people.error', 'process.delay'];
  return list[i % list.length]!;
}

/** About 200 realistic complaints in the six languages, spread over every state, with a consistent history. */
export async function seedComplaints(db: Db, actors: Map<string, Actor>, now = new Date()): Promise<number> {
  const byRole = (role: string) => [...actors.values()].filter((a) => a.role === role);
  const intake = byRole('intake')[0]!;
  const [manager, approver] = byRole('manager') as [Actor, Actor];
  const handlersList = byRole('handler');
  const catalogue = await getCatalogue(db);
  let count = 0;
  for (const [i, entry] of demoComplaintsInterleaved().entries()) {
    const daysAgo = Math.min(entry.occurredDaysAgo, 90);
    const receivedAt = new Date(now.getTime() - daysAgo * 86_400_000 + (i % 7) * 3_600_000);
    const target: State = entry.type === 'complaint' ? stateCycle[i % stateCycle.length]! : i % 2 ? 'acknowledged' : 'closed';
    const teamId = catalogue.categories.get(entry.categoryKey)?.teamId ?? null;
    const owner = handlersList.find((h) => teamId !== null && h.teamIds.includes(teamId)) ?? manager;
    const { reference } = await createComplaint(
      db,
      { ...intake, channel: entry.channel === 'api' ? 'api' : 'web' },
      {
        type: entry.type,
        channel: entry.channel,
        description: entry.description,
        language: entry.language,
        receivedAt: receivedAt.toISOString(),
        occurredOn: new Date(receivedAt.getTime() - 86_400_000).toISOString().slice(0, 10),
        category: entry.categoryKey,
        product: entry.productKey,
        severity: entry.severity,
        desiredRemedy: entry.desiredRemedy,
        complainant: { ...entry.complainant, preferredLanguage: entry.language },
      },
      receivedAt,
    );
    const steps: Step[] =
      entry.type === 'complaint' ? paths[target] : target === 'closed' ? [ack, { action: 'close', input: { reason: 'feedback_noted' }, as: 'manager' }] : [ack];
    const span = Math.max(1, daysAgo - 1) * 86_400_000;
    for (const [n, step] of steps.entries()) {
      const at = new Date(receivedAt.getTime() + ((n + 1) * span) / (steps.length + 1));
      const actor = step.as === 'intake' ? intake : step.as === 'manager' ? manager : step.as === 'approver' ? approver : owner;
      const input =
        step.action === 'assign'
          ? { ...step.input, ownerId: owner.id!, attestNoConflict: owner === manager }
          : step.action === 'close' && entry.type === 'complaint'
            ? { ...step.input, rootCause: demoRootCause(entry.categoryKey, Math.floor(i / stateCycle.length)) }
            : step.input;
      await executeAction(db, actor, reference, step.action, input as never, handlers[step.action] as never, { now: at });
    }
    count++;
  }
  return count;
}

/** Seeds an empty system; returns the demo users' credentials (to be printed once), or null if not empty. */
export async function seedDemoIfEmpty(db: Db): Promise<{ credentials: DemoCredentials[]; complaints: number } | null> {
  const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  const anyTeam = await db.selectFrom('teams').select('id').limit(1).executeTakeFirst();
  if (anyUser || anyTeam) return null;
  await seedCatalogue(db);
  const { credentials, actors } = await seedUsers(db);
  const complaints = await seedComplaints(db, actors);
  await seedImprovement(db, actors);
  return { credentials, complaints };
}

/**
 * Learning from complaints in the demo (IMP-3, IMP-4): a detection rule owned by the quality manager (the worker
 * raises its issues), and one corrective action on the most frequent root cause, linked to its complaints.
 */
export async function seedImprovement(db: Db, actors: Map<string, Actor>): Promise<void> {
  const quality = [...actors.values()].find((a) => a.role === 'quality') ?? systemActor;
  await createSystemicRule(db, quality, { name: 'Cluster in one category', dimension: 'category', threshold: 12, windowDays: 30, ownerId: quality.id });
  const top = await db
    .selectFrom('complaints')
    .select(['root_cause', (eb) => eb.fn.countAll<string>().as('n')])
    .where('root_cause', 'is not', null)
    .groupBy('root_cause')
    .orderBy('n', 'desc')
    .orderBy('root_cause')
    .executeTakeFirst();
  if (!top?.root_cause) return;
  const linked = await db.selectFrom('complaints').select('reference').where('root_cause', '=', top.root_cause).limit(10).execute();
  await createCapa(db, quality, {
    title: 'Remove the root cause behind the most frequent upheld complaints',
    description: 'Map the process end to end, fix the step that fails, and brief the teams involved.',
    kind: 'corrective',
    rootCause: top.root_cause,
    ownerId: quality.id,
    dueOn: new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10),
    complaints: linked.map((c) => c.reference),
  });
}
