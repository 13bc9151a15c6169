#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs bench/<name>.ts with tsx (no build step), passing the arguments on.
// `npm run bench` alone lists the benchmarks: every bench/*.ts file (helpers live in bench/lib/).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');

function available() {
  if (!existsSync(benchDir)) return [];
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** The first line of the file's leading comment block, as a one-line description. */
function describe(name) {
  const text = readFileSync(join(benchDir, `${name}.ts`), 'utf8');
  const match = /^\s*(?:\/\*\*?\s*\n?\s*\*?\s*|\/\/\s*)(.+)/.exec(text);
  return match ? match[1].replace(/\*\/\s*$/, '').trim() : '';
}

const [name, ...args] = process.argv.slice(2);
const names = available();

if (!name || name === '--help' || name === '-h' || name === '--list') {
  console.log('Usage: npm run bench -- <name> [args]\n\nAvailable benchmarks:');
  if (names.length === 0) console.log('  (none)');
  const width = Math.max(0, ...names.map((n) => n.length));
  for (const n of names) console.log(`  ${n.padEnd(width)}  ${describe(n)}`);
  process.exit(name ? 0 : names.length === 0 ? 1 : 0);
}

if (!/^[A-Za-z0-9_.-]+$/.test(name) || !names.includes(name)) {
  console.error(`Unknown benchmark "${name}". Available: ${names.join(', ') || '(none)'}`);
  process.exit(2);
}

const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, `${name}.ts`), ...args], {
  cwd: root,
  stdio: 'inherit',
});
// Pass signals on (the benchmark cleans up once, however many it gets) and wait for it to finish.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
