/** `redress import csv --preset NAME FILE [--report FILE]`: imports a file now, in this process. */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Db } from '../db/client.ts';
import type { Actor } from '../identity/roles.ts';
import { ImportFileError } from './analyse.ts';
import { importFile, loadPreset, rejectionsCsv } from './import.ts';

export async function importCli(
  db: Db,
  actor: Actor,
  args: {
    preset: string;
    file: string;
    report?: string | undefined;
    batch?: string | undefined;
    concurrency?: number;
  },
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const preset = await loadPreset(db, args.preset);
  if (!preset) {
    err(`redress: no import preset "${args.preset}"`);
    return 2;
  }
  const batch = args.batch === undefined ? undefined : Number(args.batch);
  if (batch !== undefined && !(Number.isInteger(batch) && batch >= 1 && batch <= 50_000)) {
    err('redress: --batch must be a whole number from 1 to 50000');
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(args.file);
  } catch (error) {
    err(
      `redress: cannot read ${args.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
    return 1;
  }
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let lastDraw = 0;
  const draw = (p: { processed: number; total: number }, force = false) => {
    const now = Date.now();
    if (!tty || (!force && now - lastDraw < 100)) return;
    lastDraw = now;
    const pct = p.total > 0 ? p.processed / p.total : 1;
    const width = 30;
    const filled = Math.round(pct * width);
    const rate = p.processed / Math.max(0.001, (now - started) / 1000);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(pct * 100).toFixed(1).padStart(5)}%  ${p.processed}/${p.total} rows  ${Math.round(rate)} rows/s `,
    );
  };
  try {
    const summary = await importFile(
      db,
      actor,
      { preset, filename: basename(args.file), bytes, batchSize: batch, concurrency: args.concurrency },
      (p) => draw(p),
    );
    draw({ processed: summary.total, total: summary.total }, true);
    if (tty) process.stderr.write('\n');
    if (args.report) await writeFile(args.report, await rejectionsCsv(db, summary.runId));
    out(
      JSON.stringify({
        imported: summary.imported,
        rejected: summary.rejected,
        duplicates: summary.duplicates,
        seconds: Math.round(summary.seconds * 1000) / 1000,
      }),
    );
    return 0;
  } catch (error) {
    if (tty) process.stderr.write('\n');
    if (error instanceof ImportFileError) {
      err(`redress: ${args.file}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
