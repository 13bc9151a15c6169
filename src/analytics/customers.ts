/**
 * Customer counts, the denominators of "complaints per 1,000 customers" (SPEC IMP-1): per product (or '*' for the
 * whole organisation) and the date from which a count holds. The count in force on a date is the row with the
 * latest `valid_from` on or before it; before the first row, the first row (so one row per product is enough).
 */
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../db/client.ts';

export const ALL_PRODUCTS = '*';

export interface CustomerCount {
  product: string;
  validFrom: string;
  customers: number;
}

export async function loadCustomers(db: DbOrTx): Promise<CustomerCount[]> {
  const r = await sql<{ product_key: string; valid_from: string; customers: number }>`
    select product_key, to_char(valid_from, 'YYYY-MM-DD') as valid_from, customers
    from analytics_customers order by product_key, valid_from`.execute(db);
  return r.rows.map((x) => ({
    product: x.product_key,
    validFrom: x.valid_from,
    customers: Number(x.customers),
  }));
}

/** Pure: the count of one product (or '*') in force on a date, or null. */
export function countAt(rows: readonly CustomerCount[], product: string, date: string): number | null {
  const mine = rows.filter((r) => r.product === product).sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
  if (!mine.length) return null;
  let found = mine[0]!;
  for (const r of mine) if (r.validFrom <= date) found = r;
  return found.customers;
}

/**
 * Pure: the customers behind a figure on a date. For given products, the sum of their counts (null when none has
 * one); for the whole organisation, the '*' count, else the sum over every product that has one.
 */
export function customersAt(
  rows: readonly CustomerCount[],
  products: readonly string[] | null,
  date: string,
): number | null {
  if (products === null) {
    const all = countAt(rows, ALL_PRODUCTS, date);
    if (all !== null) return all;
    products = [...new Set(rows.map((r) => r.product).filter((p) => p !== ALL_PRODUCTS))];
  }
  let sum: number | null = null;
  for (const p of products) {
    const c = countAt(rows, p, date);
    if (c !== null) sum = (sum ?? 0) + c;
  }
  return sum;
}

/** Replaces every count (one statement set, in a transaction). */
export async function replaceCustomers(db: Db, items: readonly CustomerCount[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`delete from analytics_customers`.execute(tx);
    if (items.length)
      await sql`insert into analytics_customers (product_key, valid_from, customers)
        select * from unnest(${items.map((i) => i.product)}::text[], ${items.map((i) => i.validFrom)}::date[],
                             ${items.map((i) => i.customers)}::integer[])`.execute(tx);
  });
}
