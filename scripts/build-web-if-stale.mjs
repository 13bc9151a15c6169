#!/usr/bin/env node
// `npm start` (prestart): builds the staff workspace (src/web → dist/web) when its build is missing or older than
// the sources it is built from, so that `npm ci && npm start` works on a fresh machine and after a `git pull`.
// Without the build tools (an install without dev dependencies) it says so and lets the server start: /app then
// answers that the workspace is not built (or serves the build there is).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUILT = 'dist/web/index.html';

/** The newest modification time under these paths (the workspace imports pure modules from all over src/). */
function newest(paths) {
  let latest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
    else latest = Math.max(latest, s.mtimeMs);
  };
  for (const p of paths) visit(p);
  return latest;
}

const stale = !existsSync(BUILT) || newest(['src', 'vite.config.ts', 'package-lock.json']) > statSync(BUILT).mtimeMs;
if (!stale) process.exit(0);
if (!existsSync('node_modules/vite')) {
  console.warn('The staff workspace (/app) is not built or out of date and Vite is not installed: run `npm ci` then `npm run build:web`.');
  process.exit(0);
}
console.log('Building the staff workspace (/app) …');
const run = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
