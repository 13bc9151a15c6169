import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { defaultTemplates } from '../../admin/default-templates.ts';

/**
 * The staff workspace (WORK-5, MGT-3, OBJ-1): response templates per language, staff training and authorisation
 * records per category (assignment respects them), and staff declarations of a relationship with a complainant
 * (assignment to that person is blocked).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create table response_templates (
  id uuid primary key,
  key text not null,
  language text not null,
  name text not null,
  body text not null,
  active boolean not null default true,
  updated_at timestamptz not null default now(),
  unique (key, language)
);

create table staff_competences (
  id uuid primary key,
  user_id uuid not null references users(id),
  kind text not null check (kind in ('training','authorisation')),
  category_id uuid references categories(id),
  title text not null,
  valid_from date not null default current_date,
  valid_until date,
  created_at timestamptz not null default now()
);
create index staff_competences_user_idx on staff_competences(user_id);
create index staff_competences_category_idx on staff_competences(category_id);

create table conflict_declarations (
  id uuid primary key,
  user_id uuid not null references users(id),
  complainant_id uuid references complainants(id),
  complainant_email text,
  relationship text not null,
  created_at timestamptz not null default now(),
  check (complainant_id is not null or complainant_email is not null)
);
create index conflict_declarations_user_idx on conflict_declarations(user_id);
`,
    )
    .execute(db);
  for (const t of defaultTemplates) {
    await sql`insert into response_templates (id, key, language, name, body) values (${randomUUID()}, ${t.key}, ${t.language}, ${t.name}, ${t.body})`.execute(
      db,
    );
  }
}
