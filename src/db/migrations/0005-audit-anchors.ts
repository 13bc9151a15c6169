import { sql, type Kysely } from 'kysely';

/**
 * Periodic anchors over the whole history (AUD-2): a global order on events (an identity column — a sequence,
 * so concurrent writers never wait on each other) and an append-only table of anchors, each hashing the events
 * added since the previous anchor into a running root.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table audit_events add column gid bigint generated always as identity;
create unique index audit_events_gid_idx on audit_events(gid);

create table audit_anchors (
  id integer primary key,
  at timestamptz not null,
  from_gid bigint not null,
  to_gid bigint not null,
  events integer not null,
  root text not null
);
create trigger audit_anchors_append_only before update or delete on audit_anchors
  for each row execute function redress_forbid_change();
create trigger audit_anchors_no_truncate before truncate on audit_anchors
  for each statement execute function redress_forbid_change();
`,
    )
    .execute(db);
}
