/**
 * A filtered complaints list as a table (API-3): the same filters and the same visibility as GET /api/complaints
 * (team scope, complaints about oneself hidden), all matching rows (walked page by page with the list's own
 * cursor), and the columns a complaints manager expects. Complainant contact details only for the roles that may see
 * personal data (PRIV-1), and never in scheduled e-mails (their recipients are arbitrary addresses).
 */
import type { DbOrTx } from '../db/client.ts';
import { complaintColumns, type ComplaintRow } from '../db/schema.ts';
import type { Actor } from '../identity/roles.ts';
import { getCatalogue } from '../catalogue/catalogue.ts';
import { listComplaints } from '../complaints/queries/list-complaints.ts';
import { maySeePersonalData } from '../complaints/presenter.ts';
import type { ListComplaintsQuery } from '../complaints/schemas.ts';
import { AppError } from '../shared/errors.ts';
import type { Column, Table } from './tabular.ts';

export type ComplaintsFilter = Omit<ListComplaintsQuery, 'limit' | 'cursor'>;

/** More rows than this in one export is refused: narrow the filters (or use the API's cursor). */
export const MAX_EXPORT_ROWS = 200_000;
const PAGE = 200;

export const complaintColumnsForExport: Column[] = [
  { key: 'reference', header: 'Reference' },
  { key: 'type', header: 'Type' },
  { key: 'state', header: 'State' },
  { key: 'channel', header: 'Channel' },
  { key: 'language', header: 'Language' },
  { key: 'receivedAt', header: 'Received', type: 'datetime' },
  { key: 'acknowledgedAt', header: 'Acknowledged', type: 'datetime' },
  { key: 'closedAt', header: 'Closed', type: 'datetime' },
  { key: 'category', header: 'Category' },
  { key: 'product', header: 'Product' },
  { key: 'team', header: 'Team' },
  { key: 'owner', header: 'Owner' },
  { key: 'priority', header: 'Priority' },
  { key: 'severity', header: 'Severity' },
  { key: 'escalationLevel', header: 'Escalation level', type: 'number' },
  { key: 'outcome', header: 'Outcome' },
  { key: 'remedies', header: 'Remedies' },
  { key: 'redress', header: 'Redress amount', type: 'number' },
  { key: 'rootCause', header: 'Root cause' },
  { key: 'nextDueAt', header: 'Next due', type: 'datetime' },
  { key: 'breached', header: 'Breached' },
];
const personalColumns: Column[] = [
  { key: 'complainantName', header: 'Complainant' },
  { key: 'complainantEmail', header: 'E-mail' },
  { key: 'complainantPhone', header: 'Phone' },
];

/** Every complaint matching the filters that this actor may see, as one table. */
export async function complaintsTable(
  db: DbOrTx,
  actor: Actor,
  filter: ComplaintsFilter,
  options: { personalData?: boolean; name?: string; now?: Date } = {},
): Promise<Table> {
  const personal = (options.personalData ?? true) && maySeePersonalData(actor);
  const now = options.now ?? new Date();
  const catalogue = await getCatalogue(db, false, db);
  const name = (id: string | null) => (id ? (catalogue.byId.get(id)?.name ?? null) : null);
  const rows: Table['rows'] = [];
  const users = new Map<string, string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await listComplaints(db, actor, {
      ...filter,
      limit: PAGE,
      cursor,
    });
    if (page.items.length > 0) {
      const ids = page.items.map((i) => i.id);
      const full = await db
        .selectFrom('complaints')
        .select(complaintColumns)
        .where('id', 'in', ids)
        .execute();
      const byId = new Map<string, ComplaintRow>(full.map((c) => [c.id, c]));
      const owners = [
        ...new Set(full.map((c) => c.owner_id).filter((x): x is string => !!x && !users.has(x))),
      ];
      if (owners.length) {
        for (const u of await db
          .selectFrom('users')
          .select(['id', 'name'])
          .where('id', 'in', owners)
          .execute())
          users.set(u.id, u.name);
      }
      const people = new Map<string, { name: string | null; email: string | null; phone: string | null }>();
      if (personal) {
        const pids = full.map((c) => c.complainant_id).filter((x): x is string => !!x);
        if (pids.length) {
          for (const p of await db
            .selectFrom('complainants')
            .select(['id', 'name', 'email', 'phone'])
            .where('id', 'in', pids)
            .execute())
            people.set(p.id, p);
        }
      }
      for (const id of ids) {
        const c = byId.get(id);
        if (!c) continue;
        const remedies = c.response?.remedies ?? [];
        const amount = remedies.reduce((n, r) => n + (r.amount ?? 0), 0);
        const person = c.complainant_id ? people.get(c.complainant_id) : undefined;
        rows.push({
          reference: c.reference,
          type: c.type,
          state: c.state,
          channel: c.channel,
          language: c.language,
          receivedAt: c.received_at,
          acknowledgedAt: c.acknowledged_at,
          closedAt: c.closed_at,
          category: name(c.category_id),
          product: name(c.product_id),
          team: name(c.team_id),
          owner: c.owner_id ? (users.get(c.owner_id) ?? null) : null,
          priority: c.priority,
          severity: c.severity,
          escalationLevel: c.escalation_level,
          outcome: c.response?.outcome ?? null,
          remedies: remedies.map((r) => catalogue.remedies.get(r.key)?.name ?? r.key).join('; ') || null,
          redress: remedies.some((r) => r.amount !== undefined) ? amount : null,
          rootCause: c.root_cause,
          nextDueAt: c.next_due_at,
          breached: c.next_due_at !== null && c.next_due_at.getTime() <= now.getTime(),
          ...(personal
            ? {
                complainantName: person?.name ?? null,
                complainantEmail: person?.email ?? null,
                complainantPhone: person?.phone ?? null,
              }
            : {}),
        });
      }
      if (rows.length > MAX_EXPORT_ROWS)
        throw new AppError(
          422,
          'export_too_large',
          `More than ${MAX_EXPORT_ROWS} complaints match; narrow the filters (for example by received date)`,
        );
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return {
    name: options.name ?? 'Complaints',
    columns: personal ? [...complaintColumnsForExport, ...personalColumns] : complaintColumnsForExport,
    rows,
  };
}
