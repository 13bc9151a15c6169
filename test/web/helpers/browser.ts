import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../../src/server/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { FACTORY_PASSWORD, type StaffUser } from '../../helpers/factories.ts';

/** Debian's Chromium; the browser tests skip cleanly without it (never download a browser). */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Builds the workspace (vite build) into a fresh directory for this test file: never a stale build. */
export function buildWeb(): string {
  const out = mkdtempSync(join(tmpdir(), 'redress-web-'));
  const run = spawnSync('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}\n${run.stderr}`);
  return out;
}

export interface WebApp {
  url: string;
  app: FastifyInstance;
  database: TestDatabase;
  webDir: string;
  close(): Promise<void>;
}

export async function startWebApp(): Promise<WebApp> {
  // The run's shared build (test/global-setup.ts), else one of its own.
  const shared = inject('webDir');
  const webDir = shared || buildWeb();
  const database = await createTestDatabase();
  const app = await buildApp({ db: database.db, logLevel: 'silent', web: { dir: webDir } });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    app,
    database,
    webDir,
    async close() {
      await app.close();
      await database.drop();
      if (!shared) rmSync(webDir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium with the flags these machines need; Playwright gives each launch a fresh temporary profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page signed in as this user through the sign-in screen; console errors and CSP violations are collected. */
export async function signIn(browser: Browser, base: string, user: StaffUser, lang?: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[0-9]/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${base}/app/${lang ? `?lang=${lang}` : ''}`);
  await page.fill('input[name=email]', user.email);
  await page.fill('input[name=password]', FACTORY_PASSWORD);
  await page.click('[data-testid=sign-in]');
  await page.waitForSelector('[data-testid=whoami]');
  return { page, problems };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * axe-core's WCAG 2.2 A/AA rules on the page once it has settled (evaluated through the DevTools protocol, so the CSP
 * stays on). Elements still fading in fail contrast for a moment: violations must still be there half a second later.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const first = await axeRun(page);
  if (first.length === 0) return first;
  await page.waitForTimeout(500);
  return axeRun(page);
}

async function axeRun(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] },
      iframes: false,
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

export const describeViolations = (v: AxeViolation[]) =>
  v.map((x) => `${x.id} (${x.impact}): ${x.help}\n  ${x.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n  ')}`).join('\n');
