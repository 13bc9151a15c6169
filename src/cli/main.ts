import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openDatabase, migrateToLatest, type DatabaseHandle } from '../db/client.ts';
import { DataDirBusyError } from '../db/data-dir-lock.ts';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { createUser } from '../identity/users.ts';
import { createApiKey } from '../identity/api-keys.ts';
import { roles, systemActor, type Actor, type Role } from '../identity/roles.ts';
import { verifyHistory } from '../audit/verify-history.ts';
import { AppError } from '../shared/errors.ts';
import { deadlinesCli } from '../deadlines/cli.ts';
import { serve } from './serve.ts';
import { importCli } from '../imports/cli.ts';

const usage = `Usage: redress <command>

  migrate                                   run pending database migrations
  serve [--role web|worker|all]             run the web server and/or the worker (npm start = all)
  user create --email E --name N --role R --password P [--team KEY ...]
  api-key create --name N --role R [--team KEY ...]
                                            prints the new key alone on its last line (shown once)
  audit verify                              exit 0 when the history is intact, 1 naming the first broken event
  import csv --preset NAME FILE [--report FILE]   import historical complaints; prints one JSON line of counts
  deadlines compute --profile ID --received ISO [--calendar ID]
  deadlines profiles

Roles: ${roles.join(', ')}
Environment: DATABASE_URL (PostgreSQL; otherwise the embedded database in REDRESS_DATA_DIR, default ./data), PORT, LOG_LEVEL …`;

const cliActor: Actor = { ...systemActor, type: 'system', label: 'cli', channel: 'cli' };

class UsageError extends Error {}

function need(values: Record<string, unknown>, ...names: string[]): void {
  const missing = names.filter((n) => typeof values[n] !== 'string' || values[n] === '');
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
}

function roleOf(value: unknown): Role {
  if (!(roles as readonly unknown[]).includes(value)) throw new UsageError(`--role must be one of: ${roles.join(', ')}`);
  return value as Role;
}

async function withDatabase<T>(config: Config, fn: (h: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(config);
  try {
    await migrateToLatest(handle.db);
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

/** Runs a CLI command; returns the exit code, or null for a long-running command that exits on its own. */
export async function main(argv: string[], out = (s: string) => console.log(s), err = (s: string) => console.error(s)): Promise<number | null> {
  const [command, sub, ...rest] = argv;
  try {
    if (command === 'deadlines') return deadlinesCli(argv.slice(1), out, err);
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      out(usage);
      return command === undefined ? 2 : 0;
    }
    const config = loadConfig();
    switch (command) {
      case 'migrate': {
        const ran = await withDatabase(config, async () => []);
        out(`migrations are current${ran.length ? ` (ran ${ran.join(', ')})` : ''}`);
        return 0;
      }
      case 'serve': {
        const { values } = parseArgs({ args: argv.slice(1), options: { role: { type: 'string', default: 'all' } } });
        if (!['web', 'worker', 'all'].includes(values.role)) throw new UsageError('--role must be web, worker or all');
        await serve(config, values.role as 'web' | 'worker' | 'all', pino({ level: config.logLevel }));
        return null;
      }
      case 'user': {
        if (sub !== 'create') throw new UsageError('unknown user command (try: user create)');
        const { values } = parseArgs({
          args: rest,
          options: {
            email: { type: 'string' },
            name: { type: 'string' },
            role: { type: 'string' },
            password: { type: 'string' },
            team: { type: 'string', multiple: true },
          },
        });
        need(values, 'email', 'name', 'role', 'password');
        const created = await withDatabase(config, (h) =>
          createUser(h.db, cliActor, { email: values.email!, name: values.name!, role: roleOf(values.role), password: values.password!, teamKeys: values.team }),
        );
        out(`created user ${created.email} (${created.id})`);
        return 0;
      }
      case 'api-key': {
        if (sub !== 'create') throw new UsageError('unknown api-key command (try: api-key create)');
        const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, role: { type: 'string' }, team: { type: 'string', multiple: true } } });
        need(values, 'name', 'role');
        const key = await withDatabase(config, (h) => createApiKey(h.db, cliActor, { name: values.name!, role: roleOf(values.role), teams: values.team }));
        out(`created API key "${key.name}" with role ${key.role} (${key.id}); it is shown once, store it now:`);
        out(key.key);
        return 0;
      }
      case 'audit': {
        if (sub !== 'verify') throw new UsageError('unknown audit command (try: audit verify)');
        const report = await withDatabase(config, (h) => verifyHistory(h.db));
        if (report.breaks.length === 0 && report.anchorBreaks.length === 0) {
          out(`history intact: ${report.events} events in ${report.chains} chains verified, ${report.anchors} anchors`);
          return 0;
        }
        if (report.breaks.length === 0) {
          const a = report.anchorBreaks[0]!;
          err(`history BROKEN: anchor ${a.anchorId} does not match the events it covers (${a.problem}): events were rewritten after anchoring`);
          return 1;
        }
        const first = report.breaks[0]!;
        err(
          `history BROKEN: ${report.breaks.length} chain(s) fail verification; first broken event: ` +
            `${first.eventId ?? '(missing)'} at ${first.chain} seq ${first.seq} (${first.problem})`,
        );
        for (const b of report.breaks.slice(1, 20)) err(`  also: ${b.chain} seq ${b.seq} (${b.problem}) event ${b.eventId ?? '(missing)'}`);
        return 1;
      }
      case 'import': {
        if (sub !== 'csv') throw new UsageError('unknown import command (try: import csv --preset cfpb FILE)');
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { preset: { type: 'string' }, report: { type: 'string' }, batch: { type: 'string' } },
        });
        need(values, 'preset');
        if (positionals.length !== 1) throw new UsageError('give exactly one FILE to import');
        return await withDatabase(config, (h) =>
          importCli(h.db, cliActor, { preset: values.preset!, file: positionals[0]!, report: values.report, batch: values.batch, concurrency: h.kind === 'postgres' ? 2 : 1 }, out, err),
        );
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`redress: ${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DataDirBusyError) {
      err(`redress: ${error.message}`);
      return 1;
    }
    if (error instanceof AppError) {
      err(`redress: ${error.message}`);
      return 1;
    }
    if (error instanceof Error && 'code' in error && error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      err(`redress: ${error.message}\n\n${usage}`);
      return 2;
    }
    err(`redress: ${(error as Error).message}`);
    return 1;
  }
}
