import { sql } from 'kysely';
import { complaintColumns } from '../../db/schema.ts';
import type { Db } from '../../db/client.ts';
import { getCatalogue } from '../../catalogue/catalogue.ts';
import type { Actor } from '../../identity/roles.ts';
import { badRequest } from '../../shared/errors.ts';
import { toTsQuery } from '../../search/text.ts';
import { searchSnippet } from '../../search/highlight.ts';
import { presentComplaintSummary } from '../presenter.ts';
import type { ListComplaintsQuery } from '../schemas.ts';

type CursorValue = [string | null, string];

const encodeCursor = (v: CursorValue) => Buffer.from(JSON.stringify(v)).toString('base64url');
function decodeCursor(cursor: string): CursorValue {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || v[0] === null) && typeof v[1] === 'string' && uuid.test(v[1])) {
      return v as CursorValue;
    }
  } catch {
    /* fall through */
  }
  throw badRequest('invalid_cursor', 'The cursor is not valid; start again from the first page');
}

/**
 * Lists complaints this actor may see (WORK-1): filters, full-text search in every script, and keyset
 * ("cursor") pagination that stays fast and stable however deep one pages.
 */
export async function listComplaints(db: Db, actor: Actor, query: ListComplaintsQuery) {
  const catalogue = await getCatalogue(db);
  let q = db.selectFrom('complaints').select(complaintColumns);

  if (actor.id !== null) q = q.where((eb) => eb.or([eb('subject_user_id', 'is', null), eb('subject_user_id', '!=', actor.id)]));
  if (actor.role === 'handler') {
    const teams = [...actor.teamIds];
    q = q.where((eb) =>
      eb.or([...(teams.length > 0 ? [eb('team_id', 'in', teams)] : []), ...(actor.id ? [eb('owner_id', '=', actor.id)] : [])]),
    );
    if (teams.length === 0 && actor.id === null) return { items: [], nextCursor: null };
  }
  if (query.state !== undefined) {
    const list = Array.isArray(query.state) ? query.state : [query.state];
    q = q.where('state', 'in', list);
  }
  if (query.type) q = q.where('type', '=', query.type);
  if (query.channel) q = q.where('channel', '=', query.channel);
  if (query.team) {
    const team = catalogue.teams.get(query.team);
    if (!team) throw badRequest('unknown_team', `No team "${query.team}"`);
    q = q.where('team_id', '=', team.id);
  }
  if (query.owner === 'none') q = q.where('owner_id', 'is', null);
  else if (query.owner === 'me') q = q.where('owner_id', '=', actor.id ?? '00000000-0000-0000-0000-000000000000');
  else if (query.owner) q = q.where('owner_id', '=', query.owner);
  if (query.category) {
    const category = catalogue.categories.get(query.category);
    if (!category) throw badRequest('unknown_category', `No category "${query.category}"`);
    const ids = [category.id];
    for (let i = 0; i < ids.length; i++) {
      for (const c of catalogue.categories.values()) if (c.parentId === ids[i]) ids.push(c.id);
    }
    q = q.where('category_id', 'in', ids);
  }
  if (query.receivedFrom) q = q.where('received_at', '>=', new Date(query.receivedFrom));
  if (query.receivedTo) q = q.where('received_at', '<', new Date(query.receivedTo));
  if (query.dueBefore) q = q.where('next_due_at', '<', new Date(query.dueBefore));
  // Deadlines (TIME-6), both served by the index on next_due_at (the earliest deadline not met yet).
  const now = new Date();
  if (query.dueWithinHours !== undefined) {
    q = q.where('next_due_at', '>', now).where('next_due_at', '<=', new Date(now.getTime() + query.dueWithinHours * 3_600_000));
  }
  if (query.breached === true) q = q.where('next_due_at', '<=', now);
  else if (query.breached === false) q = q.where((eb) => eb.or([eb('next_due_at', 'is', null), eb('next_due_at', '>', now)]));
  if (query.q) {
    const tsq = toTsQuery(query.q);
    if (tsq === null) return { items: [], nextCursor: null };
    q = q.where(sql<boolean>`search @@ to_tsquery('simple', ${tsq})`);
  }

  const byDue = query.sort === 'due_asc';
  const desc = query.sort === 'received_desc';
  if (byDue) q = q.where('next_due_at', 'is not', null);
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor);
    const col = byDue ? 'next_due_at' : 'received_at';
    const at = new Date(value ?? 0);
    if (Number.isNaN(at.getTime())) throw badRequest('invalid_cursor', 'The cursor is not valid; start again from the first page');
    q = desc
      ? q.where((eb) => eb.or([eb(col, '<', at), eb.and([eb(col, '=', at), eb('id', '<', id)])]))
      : q.where((eb) => eb.or([eb(col, '>', at), eb.and([eb(col, '=', at), eb('id', '>', id)])]));
  }
  const col = byDue ? 'next_due_at' : 'received_at';
  const dir = desc ? 'desc' : 'asc';
  const rows = await q.orderBy(col, dir).orderBy('id', dir).limit(query.limit + 1).execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const lastValue = last ? (byDue ? last.next_due_at : last.received_at) : null;
  return {
    items: page.map((c) => presentComplaintSummary(c, catalogue, query.q ? searchSnippet(c.description, query.q) : null)),
    nextCursor: rows.length > query.limit && last ? encodeCursor([lastValue?.toISOString() ?? null, last.id]) : null,
  };
}
