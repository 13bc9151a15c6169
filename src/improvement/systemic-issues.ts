import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/client.ts';
import { recordSystemEvent } from '../audit/record-system-event.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { outboxRow } from '../channels/outbox.ts';
import { similarity } from '../channels/duplicates.ts';
import type { Actor } from '../identity/roles.ts';
import { assertActiveUser } from '../identity/users.ts';
import { conflict, notFound, ValidationError } from '../shared/errors.ts';
import { formatCapaRef, parseCapaRef } from './capa-states.ts';
import { rootCauseLabels } from './root-causes.ts';
import {
  clusterInWindow,
  issueSignature,
  issueTransitions,
  type IssueStatus,
  type SystemicDimension,
} from './systemic.ts';

export const issueChain = (id: string) => `systemic:${id}`;
export const SCAN_JOB = 'improvement.systemic_scan';
export const formatIssueRef = (seq: number) => `SI-${String(seq).padStart(4, '0')}`;
export const parseIssueRef = (s: string): number | null => {
  const m = /^(?:si-?)?0*(\d{1,9})$/i.exec(s.trim());
  return m && Number(m[1]) > 0 ? Number(m[1]) : null;
};

/** The detector's actor in the history. */
export const systemicDetector: Actor = {
  type: 'system',
  id: null,
  label: 'systemic-issue detection',
  role: 'quality',
  teamIds: [],
  channel: 'worker',
};

/** Makes sure the (self-rescheduling) detection job exists; called when rules change. */
export async function ensureScanJob(tx: Tx): Promise<void> {
  await sql`insert into jobs (kind, payload) select ${SCAN_JOB}, '{}'::jsonb
            where not exists (select 1 from jobs where kind = ${SCAN_JOB} and status = 'pending')`.execute(
    tx,
  );
}

/** Owner (user id) and team (key) of a rule, checked. */
export async function ruleRefs(
  tx: Tx,
  b: { ownerId?: string | null | undefined; team?: string | null | undefined },
) {
  const out: { owner_id?: string | null; team_id?: string | null } = {};
  if (b.ownerId !== undefined) {
    if (b.ownerId !== null) await assertActiveUser(tx, b.ownerId);
    out.owner_id = b.ownerId;
  }
  if (b.team !== undefined) {
    const t =
      b.team === null
        ? null
        : await tx.selectFrom('teams').select('id').where('key', '=', b.team).executeTakeFirst();
    if (t === undefined)
      throw new ValidationError([{ field: 'team', code: 'unknown_team', message: `No team "${b.team}"` }]);
    out.team_id = t?.id ?? null;
  }
  return out;
}

export interface SystemicRuleInput {
  name: string;
  dimension: SystemicDimension;
  threshold: number;
  windowDays: number;
  minSimilarity?: number | undefined;
  ownerId?: string | null | undefined;
  team?: string | null | undefined;
  active?: boolean | undefined;
}

/** Adds a detection rule (in the system history) and makes sure the detection job runs. */
export async function createSystemicRule(db: Db, actor: Actor, b: SystemicRuleInput): Promise<string> {
  const id = randomUUID();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('systemic_rules')
      .values({
        id,
        name: b.name,
        dimension: b.dimension,
        threshold: b.threshold,
        window_days: b.windowDays,
        ...(b.minSimilarity !== undefined ? { min_similarity: b.minSimilarity } : {}),
        ...(await ruleRefs(tx, b)),
        active: b.active ?? true,
      })
      .execute();
    await ensureScanJob(tx);
    await recordSystemEvent(tx, actor, 'systemic_rule_created', {
      id,
      dimension: b.dimension,
      threshold: b.threshold,
      windowDays: b.windowDays,
    });
  });
  return id;
}

async function issueBySeq(tx: Tx, ref: string, lock = false) {
  const seq = parseIssueRef(ref);
  if (seq === null) throw notFound(`Systemic issue ${ref}`);
  let q = tx.selectFrom('systemic_issues').selectAll().where('seq', '=', seq);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(`Systemic issue ${ref}`);
  return row;
}

/** Links an issue to an action (raising a CAPA from an issue); the issue's complaints are linked to the action too. */
export async function linkIssueToCapa(tx: Tx, actor: Actor, ref: string, capaId: string): Promise<string> {
  const issue = await issueBySeq(tx, ref, true).catch(() => {
    throw new ValidationError([
      { field: 'systemicIssue', code: 'unknown_issue', message: `No systemic issue ${ref}` },
    ]);
  });
  await tx
    .updateTable('systemic_issues')
    .set({ capa_id: capaId, updated_at: new Date() })
    .where('id', '=', issue.id)
    .execute();
  await sql`insert into capa_complaints (capa_id, complaint_id, added_by)
            select ${capaId}, complaint_id, ${actor.id} from systemic_issue_complaints where issue_id = ${issue.id}
            on conflict do nothing`.execute(tx);
  const capa = await tx.selectFrom('capa').select('seq').where('id', '=', capaId).executeTakeFirstOrThrow();
  await recordSystemEvent(
    tx,
    actor,
    'systemic_issue_linked',
    { capa: formatCapaRef(capa.seq) },
    issueChain(issue.id),
  );
  return formatIssueRef(issue.seq);
}

export async function updateIssue(
  db: Db,
  actor: Actor,
  ref: string,
  input: {
    status?: IssueStatus | undefined;
    ownerId?: string | null | undefined;
    capa?: string | null | undefined;
  },
) {
  await db.transaction().execute(async (tx) => {
    const issue = await issueBySeq(tx, ref, true);
    const patch: Record<string, unknown> = {};
    if (input.status !== undefined && input.status !== issue.status) {
      if (!issueTransitions[issue.status as IssueStatus].includes(input.status))
        throw conflict(
          'invalid_transition',
          `A systemic issue that is "${issue.status}" cannot become "${input.status}"`,
          { status: issue.status },
        );
      patch.status = input.status;
      patch.closed_at = input.status === 'closed' ? new Date() : null;
    }
    if (input.ownerId !== undefined) {
      if (input.ownerId !== null) await assertActiveUser(tx, input.ownerId);
      patch.owner_id = input.ownerId;
    }
    let capaRef: string | null | undefined;
    if (input.capa !== undefined) {
      if (input.capa === null) patch.capa_id = null;
      else {
        const seq = parseCapaRef(input.capa);
        const capa =
          seq === null
            ? undefined
            : await tx.selectFrom('capa').select(['id', 'seq']).where('seq', '=', seq).executeTakeFirst();
        if (!capa)
          throw new ValidationError([
            { field: 'capa', code: 'unknown_capa', message: `No action ${input.capa}` },
          ]);
        patch.capa_id = capa.id;
        capaRef = formatCapaRef(capa.seq);
        await sql`insert into capa_complaints (capa_id, complaint_id, added_by)
                  select ${capa.id}, complaint_id, ${actor.id} from systemic_issue_complaints where issue_id = ${issue.id}
                  on conflict do nothing`.execute(tx);
      }
    }
    if (Object.keys(patch).length === 0) return;
    await tx
      .updateTable('systemic_issues')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', issue.id)
      .execute();
    await recordSystemEvent(
      tx,
      actor,
      'systemic_issue_updated',
      { from: issue.status, status: input.status, ownerId: input.ownerId, capa: capaRef ?? input.capa },
      issueChain(issue.id),
    );
  });
}

export async function listIssues(db: Db, q: { status?: IssueStatus | undefined }) {
  let query = db
    .selectFrom('systemic_issues')
    .innerJoin('systemic_rules', 'systemic_rules.id', 'systemic_issues.rule_id')
    .leftJoin('users', 'users.id', 'systemic_issues.owner_id')
    .leftJoin('capa', 'capa.id', 'systemic_issues.capa_id')
    .leftJoin('teams', 'teams.id', 'systemic_issues.team_id')
    .select([
      'systemic_issues.id',
      'systemic_issues.seq',
      'systemic_issues.label',
      'systemic_issues.status',
      'systemic_issues.signature',
      'systemic_issues.complaint_count',
      'systemic_issues.first_at',
      'systemic_issues.last_at',
      'systemic_issues.raised_at',
      'systemic_issues.closed_at',
      'systemic_issues.owner_id',
      'users.name as owner_name',
      'teams.key as team_key',
      'teams.name as team_name',
      'capa.seq as capa_seq',
      'capa.status as capa_status',
      'systemic_rules.name as rule_name',
      'systemic_rules.dimension',
      'systemic_rules.id as rule_id',
    ])
    .orderBy('systemic_issues.seq', 'desc');
  if (q.status) query = query.where('systemic_issues.status', '=', q.status);
  const rows = await query.limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    ref: formatIssueRef(r.seq),
    label: r.label,
    status: r.status as IssueStatus,
    signature: r.signature,
    complaintCount: r.complaint_count,
    firstAt: r.first_at.toISOString(),
    lastAt: r.last_at.toISOString(),
    raisedAt: r.raised_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    owner: r.owner_id ? { id: r.owner_id, name: r.owner_name ?? '?' } : null,
    team: r.team_key ? { key: r.team_key, name: r.team_name } : null,
    capa: r.capa_seq !== null ? { ref: formatCapaRef(r.capa_seq), status: r.capa_status } : null,
    rule: { id: r.rule_id, name: r.rule_name, dimension: r.dimension },
  }));
}

export async function getIssue(db: Db, ref: string) {
  const seq = parseIssueRef(ref);
  const item =
    seq === null ? undefined : (await listIssues(db, {})).find((i) => i.ref === formatIssueRef(seq));
  if (!item) throw notFound(`Systemic issue ${ref}`);
  const [complaints, history] = await Promise.all([
    db
      .selectFrom('systemic_issue_complaints')
      .innerJoin('complaints', 'complaints.id', 'systemic_issue_complaints.complaint_id')
      .select([
        'complaints.reference',
        'complaints.state',
        'complaints.received_at',
        'complaints.language',
        'systemic_issue_complaints.added_at',
      ])
      .where('systemic_issue_complaints.issue_id', '=', item.id)
      .orderBy('complaints.received_at')
      .execute(),
    db
      .selectFrom('audit_events')
      .select(['at', 'action', 'actor_label', 'data'])
      .where('chain', '=', issueChain(item.id))
      .orderBy('seq')
      .execute(),
  ]);
  return {
    ...item,
    complaints: complaints.map((c) => ({
      reference: c.reference,
      state: c.state,
      language: c.language,
      receivedAt: c.received_at.toISOString(),
      addedAt: c.added_at.toISOString(),
    })),
    history: history.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      actor: e.actor_label,
      data: e.data,
    })),
  };
}

// ---------------------------------------------------------------- detection

interface ScanComplaint {
  id: string;
  reference: string;
  received_at: Date;
  updated_at: Date;
  category_id: string | null;
  product_id: string | null;
  root_cause: string | null;
  description: string;
}

type Rule = Awaited<ReturnType<typeof activeRules>>[number];
const activeRules = (tx: Tx) =>
  tx.selectFrom('systemic_rules').selectAll().where('active', '=', true).orderBy('created_at').execute();

export interface ScanResult {
  scanned: number;
  raised: number;
  added: number;
  /** The watermark after this step. */
  after: { at: string; id: string } | null;
  /** True when the batch was full (more to scan right away). */
  full: boolean;
}

const DAY = 86_400_000;

async function addToIssue(
  tx: Tx,
  issueId: string,
  complaints: ReadonlyArray<{ id: string; received_at: Date }>,
): Promise<number> {
  if (complaints.length === 0) return 0;
  const res = await tx
    .insertInto('systemic_issue_complaints')
    .values(complaints.map((c) => ({ issue_id: issueId, complaint_id: c.id })))
    .onConflict((oc) => oc.columns(['issue_id', 'complaint_id']).doNothing())
    .execute();
  const added = res.reduce((n, r) => n + Number(r.numInsertedOrUpdatedRows ?? 0n), 0);
  await sql`update systemic_issues i set
              complaint_count = (select count(*) from systemic_issue_complaints x where x.issue_id = i.id),
              first_at = least(i.first_at, ${new Date(Math.min(...complaints.map((c) => c.received_at.getTime())))}),
              last_at = greatest(i.last_at, ${new Date(Math.max(...complaints.map((c) => c.received_at.getTime())))}),
              updated_at = now()
            where i.id = ${issueId}`.execute(tx);
  return added;
}

/**
 * Raises an issue once: the partial unique index (rule, signature, not closed) refuses a second open issue, so a
 * racing detector adds its complaints to the one that exists instead.
 */
async function raiseOrAdd(
  tx: Tx,
  rule: Rule,
  signature: string,
  label: string,
  members: ScanComplaint[],
): Promise<{ raised: boolean; added: number }> {
  const id = randomUUID();
  const first = new Date(Math.min(...members.map((m) => m.received_at.getTime())));
  const last = new Date(Math.max(...members.map((m) => m.received_at.getTime())));
  const inserted = await sql<{ id: string; seq: number }>`
    insert into systemic_issues (id, rule_id, signature, label, owner_id, team_id, first_at, last_at)
    values (${id}, ${rule.id}, ${signature}, ${label}, ${rule.owner_id}, ${rule.team_id}, ${first}, ${last})
    on conflict (rule_id, signature) where status <> 'closed' do nothing
    returning id, seq`.execute(tx);
  const row = inserted.rows[0];
  if (!row) {
    const open = await tx
      .selectFrom('systemic_issues')
      .select('id')
      .where('rule_id', '=', rule.id)
      .where('signature', '=', signature)
      .where('status', '<>', 'closed')
      .executeTakeFirstOrThrow();
    return { raised: false, added: await addToIssue(tx, open.id, members) };
  }
  const added = await addToIssue(tx, row.id, members);
  const ref = formatIssueRef(row.seq);
  await recordSystemEvent(
    tx,
    systemicDetector,
    'systemic_issue_raised',
    { ref, rule: rule.id, dimension: rule.dimension, signature, complaints: members.map((m) => m.reference) },
    issueChain(row.id),
  );
  await tx
    .insertInto('outbox')
    .values(
      outboxRow('systemic_issue.raised', null, {
        issue: ref,
        issueId: row.id,
        ruleId: rule.id,
        rule: rule.name,
        ownerId: rule.owner_id,
        teamId: rule.team_id,
        complaints: members.length,
      }),
    )
    .execute();
  return { raised: true, added };
}

function valueOf(rule: Rule, c: ScanComplaint): string | null {
  switch (rule.dimension) {
    case 'category':
      return c.category_id;
    case 'product':
      return c.product_id;
    case 'root_cause':
      return c.root_cause;
    case 'text':
      return null;
  }
}

const column = { category: 'category_id', product: 'product_id', root_cause: 'root_cause' } as const;

async function scanKeyed(
  db: Db,
  tx: Tx,
  rule: Rule,
  c: ScanComplaint,
  labels: () => Promise<Map<string, string>>,
) {
  const value = valueOf(rule, c);
  if (value === null) return { raised: 0, added: 0 };
  const dimension = rule.dimension as Exclude<SystemicDimension, 'text'>;
  const catalogue = await getCatalogue(db, false, tx);
  const key = dimension === 'root_cause' ? value : (catalogue.byId.get(value)?.key ?? value);
  const signature = issueSignature(dimension, key);
  const span = rule.window_days * DAY;
  const open = await tx
    .selectFrom('systemic_issues')
    .select(['id', 'first_at'])
    .where('rule_id', '=', rule.id)
    .where('signature', '=', signature)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  if (open) {
    if (c.received_at.getTime() < open.first_at.getTime() - span) return { raised: 0, added: 0 };
    return { raised: 0, added: await addToIssue(tx, open.id, [c]) };
  }
  const near = (await tx
    .selectFrom('complaints')
    .select([
      'id',
      'reference',
      'received_at',
      'updated_at',
      'category_id',
      'product_id',
      'root_cause',
      'description',
    ])
    .where('type', '=', 'complaint')
    .where(column[dimension], '=', value)
    .where('received_at', '>=', new Date(c.received_at.getTime() - span))
    .where('received_at', '<=', new Date(c.received_at.getTime() + span))
    .orderBy('received_at')
    .limit(5000)
    .execute()) as ScanComplaint[];
  const cluster = clusterInWindow(
    near.map((x) => ({ ...x, at: x.received_at.getTime() })),
    rule.window_days,
    rule.threshold,
  );
  if (!cluster) return { raised: 0, added: 0 };
  const name =
    dimension === 'root_cause'
      ? ((await labels()).get(value) ?? value)
      : (catalogue.byId.get(value)?.name ?? key);
  const r = await raiseOrAdd(tx, rule, signature, `${rule.name}: ${name}`, cluster);
  return { raised: r.raised ? 1 : 0, added: r.added };
}

async function scanText(tx: Tx, rule: Rule, c: ScanComplaint) {
  const span = rule.window_days * DAY;
  // Already part of an open cluster of this rule? Compare with each open issue's seed complaint.
  const open = await tx
    .selectFrom('systemic_issues')
    .innerJoin('complaints', (j) =>
      j.on(sql`complaints.id::text`, '=', sql`substr(systemic_issues.signature, 6)`),
    )
    .select([
      'systemic_issues.id',
      'systemic_issues.first_at',
      'complaints.id as seed_id',
      'complaints.description',
    ])
    .where('systemic_issues.rule_id', '=', rule.id)
    .where('systemic_issues.status', '<>', 'closed')
    .execute();
  let best: { id: string; score: number } | null = null;
  for (const o of open) {
    if (o.seed_id === c.id) return { raised: 0, added: 0 };
    if (c.received_at.getTime() < o.first_at.getTime() - span) continue;
    const score = similarity(c.description, o.description);
    if (score >= rule.min_similarity && (!best || score > best.score)) best = { id: o.id, score };
  }
  if (best) return { raised: 0, added: await addToIssue(tx, best.id, [c]) };
  const near = (await tx
    .selectFrom('complaints')
    .select([
      'id',
      'reference',
      'received_at',
      'updated_at',
      'category_id',
      'product_id',
      'root_cause',
      'description',
    ])
    .where('type', '=', 'complaint')
    .where('id', '<>', c.id)
    .where('received_at', '>=', new Date(c.received_at.getTime() - span))
    .where('received_at', '<=', new Date(c.received_at.getTime() + span))
    .orderBy('received_at', 'desc')
    .limit(2000)
    .execute()) as ScanComplaint[];
  const similar = [c, ...near.filter((x) => similarity(c.description, x.description) >= rule.min_similarity)];
  const cluster = clusterInWindow(
    similar.map((x) => ({ ...x, at: x.received_at.getTime() })),
    rule.window_days,
    rule.threshold,
  );
  if (!cluster) return { raised: 0, added: 0 };
  const r = await raiseOrAdd(tx, rule, issueSignature('text', c.id), `${rule.name}: ${c.reference}`, cluster);
  return { raised: r.raised ? 1 : 0, added: r.added };
}

/**
 * One step of detection: complaints changed since the watermark (oldest first, at most `batch`), each checked
 * against every active rule. Serialised across workers by a transaction-scoped advisory lock, so two detectors never
 * build competing clusters; the unique index is the second line of defence. Changes younger than `lagMs` wait for the
 * next step (a transaction that started earlier may still commit rows with an older updated_at).
 */
export async function scanStep(
  db: Db,
  tx: Tx,
  o: {
    after?: { at: string; id: string } | null | undefined;
    batch?: number;
    lagMs?: number;
    now?: Date;
  } = {},
): Promise<ScanResult> {
  await sql`select pg_advisory_xact_lock(734190021)`.execute(tx);
  const batch = o.batch ?? 200;
  const until = new Date((o.now ?? new Date()).getTime() - (o.lagMs ?? 10_000));
  let q = tx
    .selectFrom('complaints')
    .select([
      'id',
      'reference',
      'received_at',
      'updated_at',
      'category_id',
      'product_id',
      'root_cause',
      'description',
      'type',
    ])
    .where('updated_at', '<=', until)
    .orderBy('updated_at')
    .orderBy('id')
    .limit(batch);
  if (o.after) {
    const { at, id } = o.after;
    q = q.where((eb) =>
      eb.or([
        eb('updated_at', '>', new Date(at)),
        eb.and([eb('updated_at', '=', new Date(at)), eb('id', '>', id)]),
      ]),
    );
  }
  const rows = await q.execute();
  const last = rows[rows.length - 1];
  const after = last ? { at: last.updated_at.toISOString(), id: last.id } : (o.after ?? null);
  const result: ScanResult = {
    scanned: rows.length,
    raised: 0,
    added: 0,
    after,
    full: rows.length === batch,
  };
  const rules = await activeRules(tx);
  if (rules.length === 0) return result;
  let labelCache: Promise<Map<string, string>> | null = null;
  const labels = () => (labelCache ??= rootCauseLabels(tx, 'en'));
  const nowMs = (o.now ?? new Date()).getTime();
  for (const c of rows) {
    if (c.type !== 'complaint') continue;
    for (const rule of rules) {
      // A live alert is about what is happening now: a complaint received before the rule's window (history brought
      // in by an import, a backdated record) is left to the recurring-problems analysis and raises nothing here.
      if (c.received_at.getTime() < nowMs - rule.window_days * DAY) continue;
      const r =
        rule.dimension === 'text' ? await scanText(tx, rule, c) : await scanKeyed(db, tx, rule, c, labels);
      result.raised += r.raised;
      result.added += r.added;
    }
  }
  return result;
}
