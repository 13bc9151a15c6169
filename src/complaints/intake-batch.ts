/**
 * Group commit for intake. Each new complaint is written by one statement (its complainant, the complaint, its
 * first history event, its deadlines and its outbox row). When many arrive at once, the complaints waiting while a
 * statement runs are written together by the next one: one statement and one commit for the group instead of one
 * each. Each caller still answers only once its own complaint is committed, so nothing is acknowledged before it
 * is durable. Under light load a group is one complaint and nothing waits.
 *
 * A group fails as a whole (it is one statement): then each of its complaints is written again on its own, so one
 * complaint's problem (a duplicate source key, a reference drawn twice) reaches only its own caller.
 */
import type { Insertable } from 'kysely';
import type { Db } from '../db/client.ts';
import { complaintColumns, type ComplaintRow, type Database } from '../db/schema.ts';

export interface IntakeRows {
  complainant: Insertable<Database['complainants']>;
  complaint: Insertable<Database['complaints']> & { id: string };
  event: Insertable<Database['audit_events']>;
  deadlines: Array<Insertable<Database['complaint_deadlines']>>;
  outbox: Insertable<Database['outbox']>;
}

interface Waiting {
  rows: IntakeRows;
  resolve: (row: ComplaintRow) => void;
  reject: (error: unknown) => void;
}

/** The most complaints in one statement, and the most statements running at once (the rest of the pool serves reads). */
const MAX_GROUP = 64;
const MAX_RUNNING = 4;

/** Writes a group of complaints with one statement; returns the stored complaints. */
async function writeGroup(db: Db, group: IntakeRows[]): Promise<ComplaintRow[]> {
  const deadlines = group.flatMap((g) => g.deadlines);
  const statement = db
    .with('c', (q) => q.insertInto('complainants').values(group.map((g) => g.complainant)))
    .with('k', (q) =>
      q
        .insertInto('complaints')
        .values(group.map((g) => g.complaint))
        .returning(complaintColumns),
    )
    .with('e', (q) => q.insertInto('audit_events').values(group.map((g) => g.event)));
  const withDeadlines =
    deadlines.length > 0
      ? (statement.with('d', (q) =>
          q.insertInto('complaint_deadlines').values(deadlines),
        ) as unknown as typeof statement)
      : statement;
  return withDeadlines
    .with('o', (q) => q.insertInto('outbox').values(group.map((g) => g.outbox)))
    .selectFrom('k')
    .selectAll()
    .execute();
}

class IntakeBatcher {
  private readonly queue: Waiting[] = [];
  private running = 0;
  /** Statements written and the largest group (for tests and metrics). */
  readonly stats = { statements: 0, largest: 0 };

  constructor(private readonly db: Db) {}

  submit(rows: IntakeRows): Promise<ComplaintRow> {
    return new Promise<ComplaintRow>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < MAX_RUNNING && this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_GROUP);
      this.running++;
      this.stats.statements++;
      this.stats.largest = Math.max(this.stats.largest, group.length);
      void this.run(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(group: Waiting[]): Promise<void> {
    try {
      const stored = await writeGroup(
        this.db,
        group.map((w) => w.rows),
      );
      const byId = new Map(stored.map((r) => [r.id, r]));
      for (const w of group) {
        const row = byId.get(w.rows.complaint.id);
        if (row) w.resolve(row);
        else w.reject(new Error('the complaint was not stored'));
      }
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      // One complaint's problem must not fail the others: each is written again on its own.
      await Promise.all(
        group.map((w) =>
          writeGroup(this.db, [w.rows]).then(
            (rows) => (rows[0] ? w.resolve(rows[0]) : w.reject(new Error('the complaint was not stored'))),
            (e: unknown) => w.reject(e),
          ),
        ),
      );
    }
  }
}

const batchers = new WeakMap<Db, IntakeBatcher>();
const batcherOf = (db: Db) => {
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new IntakeBatcher(db)));
  return b;
};

/** Stores one new complaint with everything written with it, grouped with any others arriving at the same time. */
export function storeNewComplaint(db: Db, rows: IntakeRows): Promise<ComplaintRow> {
  return batcherOf(db).submit(rows);
}

/** How many statements intake wrote on this database handle, and the largest group. */
export function intakeStats(db: Db): { statements: number; largest: number } {
  return { ...batcherOf(db).stats };
}
