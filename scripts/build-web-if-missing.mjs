#!/usr/bin/env node
// `npm start` (prestart): builds the staff workspace (src/web → dist/web) when its build output is missing, so that
// `npm ci && npm start` works on a fresh machine. Without the build tools (an install without dev dependencies)
// it says so and lets the server start: /app then answers that the workspace is not built.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync('dist/web/index.html')) process.exit(0);
if (!existsSync('node_modules/vite')) {
  console.warn('The staff workspace (/app) is not built and Vite is not installed: run `npm ci` then `npm run build:web`.');
  process.exit(0);
}
console.log('Building the staff workspace (/app) …');
const run = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
