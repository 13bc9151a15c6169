import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type DatabaseHandle } from '../../src/db/client.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

/** Repeated statements run as server-side prepared statements (src/db/prepared.ts), and stay correct. */
let t: TestDatabase;
let one: DatabaseHandle;
beforeAll(async () => {
  t = await createTestDatabase();
  one = await openPostgres(t.url, 1); // one connection: its prepared statements are the ones we look at
  await sql`create table prep_demo (id int primary key, label text)`.execute(one.db);
  await sql`insert into prep_demo values (1, 'one'), (2, 'two')`.execute(one.db);
});
afterAll(async () => {
  await one.close();
  await t.drop();
});

const prepared = async () =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(one.db)).rows.map((r) => r.statement);

describe('prepared statements', () => {
  it('a parameterised query seen twice is prepared once on the connection, and answers the same', async () => {
    const read = (id: number) => one.db.selectFrom('prep_demo' as never).select(['label' as never]).where('id' as never, '=', id as never).executeTakeFirst();
    expect(await read(1)).toEqual({ label: 'one' });
    expect((await prepared()).some((s) => s.includes('prep_demo'))).toBe(false); // seen once: not yet
    expect(await read(2)).toEqual({ label: 'two' });
    expect(await read(3)).toBeUndefined();
    const statements = (await prepared()).filter((s) => s.includes('prep_demo'));
    expect(statements).toHaveLength(1);
  });

  it('survives a schema change under a prepared "select *" (the plan is prepared again)', async () => {
    const all = (id: number) => sql<Record<string, unknown>>`select * from prep_demo where id = ${id}`.execute(one.db);
    await all(1);
    await all(1);
    await sql`alter table prep_demo add column extra int not null default 7`.execute(one.db);
    expect((await all(2)).rows).toEqual([{ id: 2, label: 'two', extra: 7 }]);
    expect((await all(1)).rows).toEqual([{ id: 1, label: 'one', extra: 7 }]);
  });

  it('errors still reach the caller, and transactions work on prepared statements', async () => {
    const insert = (id: number) => sql`insert into prep_demo (id, label) values (${id}, ${'x'})`.execute(one.db);
    await insert(10);
    await expect(insert(10)).rejects.toMatchObject({ code: '23505' });
    await expect(
      one.db.transaction().execute(async (tx) => {
        await sql`insert into prep_demo (id, label) values (${11}, ${'y'})`.execute(tx);
        await sql`insert into prep_demo (id, label) values (${11}, ${'y'})`.execute(tx);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const n = await sql<{ n: number }>`select count(*)::int as n from prep_demo where id = ${11}`.execute(one.db);
    expect(n.rows[0]!.n).toBe(0);
  });
});
