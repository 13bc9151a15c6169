import { mkdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildStaff, complaintInput, type StaffUser } from '../helpers/factories.ts';
import {
  axeViolations,
  describeViolations,
  hasChromium,
  launchChromium,
  signIn,
  startWebApp,
  type WebApp,
} from './helpers/browser.ts';

/**
 * The analytics dashboard in Chromium (issue 7, IMP-1/IMP-2): tiles show what the API says, charts are drawn (SVG)
 * with a table of the same numbers and a CSV of them, filters live in the address, English and Arabic (RTL) are
 * axe-clean, empty and failing reports say so, a handler is refused. Screenshots go to WEB_SCREENSHOTS (default
 * /tmp/redress-analytics).
 */
const shots = process.env.WEB_SCREENSHOTS ?? '/tmp/redress-analytics';
mkdirSync(shots, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

let web: WebApp;
let browser: Browser;
let intake: StaffUser, handler: StaffUser, manager: StaffUser, manager2: StaffUser;

interface Kpis {
  received: number;
  closed: number;
  open: number;
  breaches: number;
  upholdRate: number | null;
  redressPaid: number;
  backlog: Record<string, number>;
}
interface KpiReport {
  totals: Kpis;
  groups: Array<{ key: string; label: string; kpis: Kpis }>;
}

async function api<T = Record<string, unknown>>(
  as: StaffUser,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${web.url}${path}`, {
    method,
    headers: {
      cookie: `redress_session=${as.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as T;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
const localToday = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

async function create(receivedDaysAgo: number, overrides: Parameters<typeof complaintInput>[0] = {}) {
  return (
    await api(
      intake,
      'POST',
      '/api/complaints',
      complaintInput({ receivedAt: daysAgo(receivedDaysAgo), ...overrides }),
    )
  ).reference as string;
}
async function expectAccessible(page: Page, screen: string) {
  const v = await axeViolations(page);
  expect(v, `${screen}:\n${describeViolations(v)}`).toEqual([]);
}
async function openDashboard(page: Page, search = '') {
  await page.goto(`${web.url}/app/analytics${search}`);
  await page.waitForSelector(
    '[data-testid=kpi-received], [data-testid=analytics-empty], [data-testid=analytics-error]',
  );
}
/** The numbers in a shown table, row by row (first cell = row header). */
async function tableRows(page: Page, id: string): Promise<string[][]> {
  const toggle = page.locator(`[data-testid=table-toggle-${id}]`);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.waitForSelector(`[data-testid=table-${id}]`);
  return page.$$eval(`[data-testid=table-${id}] tbody tr`, (rows) =>
    rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
  );
}
const number = (s: string) => Number(s.replace(/[^\d.-]/g, ''));

describe.skipIf(!hasChromium)('the analytics dashboard in Chromium', () => {
  beforeAll(async () => {
    web = await startWebApp();
    const db = web.database.db;
    [intake, handler, manager, manager2] = await Promise.all([
      buildStaff(db, 'intake', ['frontline']),
      buildStaff(db, 'handler', ['lending']),
      buildStaff(db, 'manager', ['lending']),
      buildStaff(db, 'manager', ['lending']),
    ]);
    // Several months of complaints: one closed upheld with redress, one breached, others open at various ages.
    const upheld = await create(100, { channel: 'phone', category: 'fees.overdraft' });
    const step = (who: StaffUser, action: string, body: unknown = {}) =>
      api(who, 'POST', `/api/complaints/${upheld}/${action}`, body);
    await step(intake, 'acknowledge');
    await step(manager, 'assess', { category: 'fees.overdraft' });
    await step(manager, 'assign', { ownerId: manager.id, attestNoConflict: true });
    const drafted = await step(manager, 'draft-response', {
      outcome: 'upheld',
      reasons: 'The fee was charged in error.',
      remedies: [{ key: 'refund', amount: 25 }],
    });
    if (drafted.approvalRequired) await step(manager2, 'approve-response');
    await step(manager, 'send-response');
    await step(intake, 'complainant-accepts');
    await step(manager, 'close', { reason: 'resolved_accepted', rootCause: 'process' });

    const breached = await create(75, { channel: 'email', category: 'payments.fraud' });
    await api(intake, 'POST', `/api/complaints/${breached}/acknowledge`, {});
    await sql`update complaint_deadlines set status = 'breached', breached_at = now()
              where complaint_id = (select id from complaints where reference = ${breached}) and status = 'pending'`.execute(
      db,
    );
    const acknowledged = await create(40, { channel: 'web', category: 'digital.app' });
    await api(intake, 'POST', `/api/complaints/${acknowledged}/acknowledge`, {});
    await create(12, { channel: 'phone', category: 'fees.overdraft' });
    await create(3, { channel: 'email', category: 'fees.overdraft' });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('a manager sees tiles, charts and tables with the figures of the API, and downloads them', async () => {
    const { page, problems } = await signIn(browser, web.url, manager);
    // The nav entry is there for a manager.
    await page.click('nav a[href="/app/analytics"]');
    await page.waitForSelector('[data-testid=kpi-received]');
    const to = localToday();
    const from = await page.inputValue('[data-testid=filter-from]');
    expect(await page.inputValue('[data-testid=filter-to]')).toBe(to);
    const report = await api<KpiReport>(
      manager,
      'GET',
      `/api/analytics/kpis?from=${from}&to=${to}&groupBy=period&period=month`,
    );
    expect(report.totals.received).toBe(5);

    // Tiles: the API's totals.
    const tile = async (id: string) => (await page.textContent(`[data-testid=kpi-${id}-value]`))!.trim();
    expect(number(await tile('received'))).toBe(report.totals.received);
    expect(number(await tile('open'))).toBe(report.totals.open);
    expect(number(await tile('breaches'))).toBe(report.totals.breaches);
    expect(report.totals.breaches).toBeGreaterThanOrEqual(1);
    expect(await page.getAttribute('[data-testid=kpi-uphold]', 'data-value')).toBe(
      String(report.totals.upholdRate ?? ''),
    );
    expect(number(await tile('redress'))).toBe(report.totals.redressPaid);

    // Every chart is drawn, as an image with a summary.
    for (const id of [
      'trend',
      'breaches',
      'backlog',
      'breakdown',
      'pareto-category',
      'pareto-root-cause',
      'control',
    ]) {
      await page.waitForSelector(`[data-testid=chart-${id}] svg`);
      const label = await page.getAttribute(`[data-testid=chart-${id}]`, 'aria-label');
      expect(label?.length, id).toBeGreaterThan(20);
      expect(await page.getAttribute(`[data-testid=chart-${id}]`, 'role')).toBe('img');
    }
    expect(await page.locator('[data-testid=chart-trend] svg path').count()).toBeGreaterThan(3);

    // The trend's table: one row per period, the API's numbers.
    const trend = await tableRows(page, 'trend');
    expect(trend).toHaveLength(report.groups.length);
    expect(trend.map((r) => number(r[1]!))).toEqual(report.groups.map((g) => g.kpis.received));
    expect(trend.map((r) => number(r[2]!))).toEqual(report.groups.map((g) => g.kpis.closed));
    // The Pareto of categories: the API's counts, in its order.
    const pareto = await api<{ items: Array<{ key: string; count: number }> }>(
      manager,
      'GET',
      `/api/analytics/pareto?dimension=category&from=${from}&to=${to}`,
    );
    const paretoRows = await tableRows(page, 'pareto-category');
    expect(paretoRows.map((r) => number(r[1]!))).toEqual(pareto.items.map((i) => i.count));
    expect(paretoRows[0]![0]).toBe('Overdraft fees and interest');
    // Root causes: the closed upheld complaint's cause is there.
    const causes = await tableRows(page, 'pareto-root-cause');
    expect(causes.map((r) => r[0])).toContain('Process');
    // The control chart's table: one row per month of the API's chart, the unusual ones said in words.
    const chart = await api<{ points: Array<{ period: string; n: number; unusual: boolean }> }>(
      manager,
      'GET',
      `/api/analytics/control-chart?metric=upheld&period=month&from=${from}&to=${to}`,
    );
    const control = await tableRows(page, 'control');
    expect(control.map((r) => number(r[1]!))).toEqual(chart.points.map((p) => p.n));
    expect(control.filter((r) => r[6]!.includes('!')).length).toBe(
      chart.points.filter((p) => p.unusual).length,
    );
    // No survey answered: the satisfaction card says so instead of drawing an empty chart.
    await page.waitForSelector('[data-testid=empty-satisfaction]');
    await expectAccessible(page, 'analytics with tables (en)');
    await shot(page, 'analytics-en');

    // The CSV of what the trend shows.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=csv-trend]'),
    ]);
    expect(download.suggestedFilename()).toBe('trend.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Period,Received,Closed,Open');
    expect(lines.slice(1).map((l) => l.split(','))).toEqual(
      report.groups.map((g) => [g.key, String(g.kpis.received), String(g.kpis.closed), String(g.kpis.open)]),
    );
    // The API's own export of the KPIs, from the link on the page.
    const href = (await page.getAttribute('[data-testid=kpis-csv]', 'href'))!;
    const exported = await fetch(`${web.url}${href}`, {
      headers: { cookie: `redress_session=${manager.token}` },
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/csv/);
    expect(await exported.text()).toContain('Fees and charges,fees,3,1,2');

    const xlsx = await fetch(`${web.url}${(await page.getAttribute('[data-testid=kpis-xlsx]', 'href'))!}`, {
      headers: { cookie: `redress_session=${manager.token}` },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);

    // Grouped by language: the breakdown is the API's, with the languages named.
    await page.selectOption('[data-testid=filter-groupBy]', 'language');
    await page.waitForURL(/groupBy=language/);
    await page.waitForSelector('[data-testid=card-breakdown] h3:has-text("By language")');
    const byLanguage = await api<KpiReport>(
      manager,
      'GET',
      `/api/analytics/kpis?from=${from}&to=${to}&groupBy=language&period=month`,
    );
    const languageRows = await tableRows(page, 'breakdown');
    expect(languageRows.map((r) => number(r[1]!))).toEqual(byLanguage.groups.map((g) => g.kpis.received));
    expect(languageRows.map((r) => r[0])).toContain('English');
    // The table toggle works from the keyboard.
    await page.focus('[data-testid=table-toggle-backlog]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=table-backlog]');
    expect((await tableRows(page, 'backlog')).map((r) => number(r[1]!))).toEqual(
      Object.values(report.totals.backlog),
    );

    // A filter: the address and the figures follow.
    await page.selectOption('[data-testid=filter-channel]', 'phone');
    await page.waitForURL(/channel=phone/);
    const phone = await api<KpiReport>(
      manager,
      'GET',
      `/api/analytics/kpis?from=${from}&to=${to}&groupBy=period&period=month&channel=phone`,
    );
    expect(phone.totals.received).toBe(2);
    await page.waitForSelector(`[data-testid=kpi-received][data-value="${phone.totals.received}"]`);
    // The address is shareable: opened afresh, it shows the same narrowing.
    await page.selectOption('[data-testid=filter-period]', 'quarter');
    await page.waitForURL(/period=quarter/);
    const address = page.url();
    await page.goto(address);
    await page.waitForSelector('[data-testid=kpi-received]');
    expect(await page.inputValue('[data-testid=filter-channel]')).toBe('phone');
    expect(await page.inputValue('[data-testid=filter-period]')).toBe('quarter');
    expect(await page.getAttribute('[data-testid=kpi-received]', 'data-value')).toBe('2');
    // Business time toggle changes the time tiles' basis (and is kept in the address).
    await page.click('[data-testid=basis] label:has-text("Business time")');
    await page.waitForURL(/basis=business/);
    expect(problems).toEqual([]);
  }, 120_000);

  it('in Arabic the dashboard reads right to left, is axe-clean, and its numbers are the same', async () => {
    const { page, problems } = await signIn(browser, web.url, manager, 'ar');
    await openDashboard(page, '?lang=ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.waitForSelector('[data-testid=chart-control] svg');
    await page.waitForSelector('[data-testid=chart-pareto-category] svg');
    expect(await page.textContent('main h2')).toBe('التحليلات');
    expect(await page.getAttribute('[data-testid=kpi-received]', 'data-value')).toBe('5');
    await tableRows(page, 'control');
    await expectAccessible(page, 'analytics (ar)');
    await shot(page, 'analytics-ar');
    expect(problems).toEqual([]);
  }, 90_000);

  it('a range without complaints is a friendly empty state; a failing report says so', async () => {
    const { page, problems } = await signIn(browser, web.url, manager);
    await openDashboard(page, '?from=2001-01-01&to=2001-01-31');
    await page.waitForSelector('[data-testid=analytics-empty]');
    expect(await page.locator('[data-testid^=chart-]').count()).toBe(0);
    expect(await page.inputValue('[data-testid=filter-from]')).toBe('2001-01-01');
    await expectAccessible(page, 'analytics empty');
    await shot(page, 'analytics-empty');
    await page.route('**/api/analytics/kpis**', (r) =>
      r.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 500, title: 'Internal Server Error' }),
      }),
    );
    await openDashboard(page);
    await page.waitForSelector('[data-testid=analytics-error]');
    expect(await page.textContent('[data-testid=analytics-error]')).toContain('Internal Server Error');
    await expectAccessible(page, 'analytics error');
    expect(problems.filter((p) => !/status of 500/.test(p))).toEqual([]);
  }, 60_000);

  it('a handler has no analytics entry and is told plainly that the dashboard is not for them', async () => {
    const { page, problems } = await signIn(browser, web.url, handler);
    expect(await page.locator('nav a[href="/app/analytics"]').count()).toBe(0);
    await page.goto(`${web.url}/app/analytics`);
    await page.waitForSelector('[data-testid=analytics-not-allowed]');
    expect(await page.textContent('[data-testid=analytics-not-allowed]')).toContain('not allowed');
    const res = await fetch(`${web.url}/api/analytics/kpis?from=2026-01-01&to=2026-01-31`, {
      headers: { cookie: `redress_session=${handler.token}` },
    });
    expect(res.status).toBe(403);
    await expectAccessible(page, 'analytics refused');
    expect(problems).toEqual([]);
  }, 60_000);
});
