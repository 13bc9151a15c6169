import type { Db, DbOrTx } from '../db/client.ts';
import type { ComplaintRow } from '../db/schema.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { openStates } from '../complaints/lifecycle.ts';

/** Why a staff member may not be given a complaint (OBJ-1 conflicts of interest, MGT-3 competence). */
export type AssignmentBlock = 'subject' | 'earlier_decision_maker' | 'declared_relationship' | 'not_authorised' | 'not_a_case_worker' | 'inactive';

export interface Candidate {
  id: string;
  name: string;
  role: string;
  teams: string[];
  locale: string;
  eligible: boolean;
  reasons: AssignmentBlock[];
  /** Open complaints they own now. */
  load: number;
  /** Why they rank where they do (team of the category, language, authorisation). */
  matches: Array<'team' | 'language' | 'authorised'>;
  score: number;
}

/** The category and its ancestors (an authorisation for "Fees" covers "Fees › Overdraft"). */
async function categoryLine(db: Db, categoryId: string | null, reader: DbOrTx = db): Promise<string[]> {
  if (!categoryId) return [];
  const catalogue = await getCatalogue(db, false, reader);
  const byId = new Map([...catalogue.categories.values()].map((c) => [c.id, c]));
  const out: string[] = [];
  for (let id: string | null = categoryId; id && !out.includes(id); id = byId.get(id)?.parentId ?? null) out.push(id);
  return out;
}

/**
 * Competence (MGT-3) is opt-in per category: once anyone holds an authorisation for a category (or one above it),
 * only staff with a current authorisation for it may be given its complaints.
 */
async function authorisations(db: DbOrTx, line: string[], today: string) {
  if (line.length === 0) return { restricted: false, holders: new Set<string>() };
  const rows = await db
    .selectFrom('staff_competences')
    .select(['user_id', 'valid_from', 'valid_until'])
    .where('kind', '=', 'authorisation')
    .where('category_id', 'in', line)
    .execute();
  const current = rows.filter((r) => String(r.valid_from) <= today && (r.valid_until === null || String(r.valid_until) >= today));
  return { restricted: rows.length > 0, holders: new Set(current.map((r) => r.user_id)) };
}

async function declaredRelationships(db: DbOrTx, complaint: ComplaintRow): Promise<Set<string>> {
  if (!complaint.complainant_id) return new Set();
  const person = await db.selectFrom('complainants').select(['id', 'email']).where('id', '=', complaint.complainant_id).executeTakeFirst();
  const email = person?.email?.toLowerCase() ?? null;
  const rows = await db
    .selectFrom('conflict_declarations')
    .select('user_id')
    .where((eb) => eb.or([eb('complainant_id', '=', complaint.complainant_id), ...(email ? [eb('complainant_email', '=', email)] : [])]))
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/**
 * Everyone who could own this complaint, best first, each with the reasons they may not (assignment by rule,
 * LIFE-3): the category's team, the complainant's language, a current authorisation, then the lightest load.
 */
export async function assignmentCandidates(db: Db, complaint: ComplaintRow, now = new Date()): Promise<Candidate[]> {
  const today = now.toISOString().slice(0, 10);
  const catalogue = await getCatalogue(db);
  const line = await categoryLine(db, complaint.category_id);
  const categoryTeam = complaint.category_id ? ([...catalogue.categories.values()].find((c) => c.id === complaint.category_id)?.teamId ?? null) : null;
  const [users, memberships, loads, auth, related] = await Promise.all([
    db.selectFrom('users').select(['id', 'name', 'role', 'locale', 'active']).orderBy('name').execute(),
    db.selectFrom('user_teams').innerJoin('teams', 'teams.id', 'user_teams.team_id').select(['user_id', 'teams.id as team_id', 'teams.key']).execute(),
    db
      .selectFrom('complaints')
      .select(['owner_id', db.fn.countAll<string>().as('n')])
      .where('owner_id', 'is not', null)
      .where('state', 'in', [...openStates])
      .groupBy('owner_id')
      .execute(),
    authorisations(db, line, today),
    declaredRelationships(db, complaint),
  ]);
  const load = new Map(loads.map((l) => [l.owner_id, Number(l.n)]));
  const out: Candidate[] = [];
  for (const u of users) {
    if (u.role !== 'handler' && u.role !== 'manager') continue;
    const reasons = blocksFor(u, complaint, auth, related);
    const teams = memberships.filter((m) => m.user_id === u.id);
    const matches: Candidate['matches'] = [];
    if (categoryTeam && teams.some((m) => m.team_id === categoryTeam)) matches.push('team');
    if (u.locale === complaint.language) matches.push('language');
    if (auth.holders.has(u.id)) matches.push('authorised');
    const n = load.get(u.id) ?? 0;
    const score = (matches.includes('team') ? 4 : 0) + (matches.includes('authorised') ? 2 : 0) + (matches.includes('language') ? 1 : 0) - n * 0.1;
    out.push({ id: u.id, name: u.name, role: u.role, teams: teams.map((m) => m.key), locale: u.locale, eligible: reasons.length === 0, reasons, load: n, matches, score: Math.round(score * 100) / 100 });
  }
  return out.sort((a, b) => Number(b.eligible) - Number(a.eligible) || b.score - a.score || a.name.localeCompare(b.name));
}

function blocksFor(
  u: { id: string; role: string; active: boolean },
  complaint: ComplaintRow,
  auth: { restricted: boolean; holders: Set<string> },
  related: Set<string>,
): AssignmentBlock[] {
  const reasons: AssignmentBlock[] = [];
  if (!u.active) reasons.push('inactive');
  if (u.role !== 'handler' && u.role !== 'manager') reasons.push('not_a_case_worker');
  if (complaint.subject_user_id === u.id) reasons.push('subject');
  if (complaint.decision_makers.includes(u.id)) reasons.push('earlier_decision_maker');
  if (related.has(u.id)) reasons.push('declared_relationship');
  if (auth.restricted && !auth.holders.has(u.id)) reasons.push('not_authorised');
  return reasons;
}

/** Why this person may not own this complaint, or an empty list (`reader`: the transaction, inside one). */
export async function assignmentBlocks(db: Db, complaint: ComplaintRow, ownerId: string, now = new Date(), reader: DbOrTx = db): Promise<AssignmentBlock[]> {
  const u = await reader.selectFrom('users').select(['id', 'role', 'active']).where('id', '=', ownerId).executeTakeFirst();
  if (!u) return [];
  const line = await categoryLine(db, complaint.category_id, reader);
  const auth = await authorisations(reader, line, now.toISOString().slice(0, 10));
  const related = await declaredRelationships(reader, complaint);
  return blocksFor(u, complaint, auth, related);
}
