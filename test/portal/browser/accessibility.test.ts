import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { languages, type Language } from '../../../src/shared/vocabulary.ts';
import { buildStaff, type StaffUser } from '../../helpers/factories.ts';
import { credentialsOn, staffSteps, startPortalApp, submitForm, toResponseSent, Visitor, type PortalApp } from '../helpers.ts';
import { axe, haveChromium, launch, newContext, screenshot, watchedPage, type Watched } from './chromium.ts';

let t: PortalApp;
let browser: Browser;
let manager: StaffUser;
const weights = new Map<string, number>();

beforeAll(async () => {
  if (!haveChromium) return;
  t = await startPortalApp();
  manager = await buildStaff(t.database.db, 'manager');
  browser = await launch();
}, 60_000);
afterAll(async () => {
  if (!haveChromium) return;
  if (weights.size) {
    const max = Math.max(...weights.values());
    console.log(`portal JavaScript per page (gzip): max ${max} bytes over ${weights.size} pages; budget ${80 * 1024}`);
  }
  await browser?.close();
  await t?.close();
});

let address = 0;
/** A complaint made over HTTP, optionally moved along by staff; returns its private link. */
async function complaint(steps: Array<[string, Record<string, unknown>?]> = []) {
  const v = new Visitor(t.url, { 'x-forwarded-for': `100.100.0.${++address}` });
  const { res } = await submitForm(v);
  const { reference, link } = credentialsOn((await v.follow(res)).text);
  if (steps.length) await staffSteps(t.url, manager, reference, steps);
  return link;
}

async function check(w: Watched, lang: Language, name: string, problems: string[]) {
  const page: Page = w.page;
  expect(await page.locator('html').getAttribute('lang'), name).toBe(lang);
  for (const v of await axe(page)) {
    problems.push(`${lang} ${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  const js = [...w.scripts.values()].reduce((a, b) => a + b, 0);
  weights.set(`${lang} ${name}`, js);
  expect(js, `${name}: JavaScript (gzip)`).toBeLessThanOrEqual(80 * 1024);
  w.scripts.clear();
  if (lang === 'en' || lang === 'ar' || lang === 'fa' || lang === 'zh') await screenshot(page, `a11y-${lang}-${name}`);
}

describe.skipIf(!haveChromium)('axe-core finds no WCAG 2.2 A/AA violation on any portal page in any language', () => {
  it.each(languages)('%s', async (lang) => {
    const context = await newContext(browser, { extraHTTPHeaders: { 'x-forwarded-for': `100.101.0.${++address}` } });
    const w = await watchedPage(context, t.url);
    const { page } = w;
    const problems: string[] = [];
    const visit = async (path: string, name: string) => {
      await page.goto(`${t.url}${path}`);
      await check(w, lang, name, problems);
    };
    await visit(`/?lang=${lang}`, 'home');
    // axe really runs: a planted image without a text alternative is found
    await page.evaluate('document.querySelector("main").insertAdjacentHTML("beforeend", "<img src=/portal/assets/icon.svg>")');
    expect((await axe(page)).map((v) => v.id)).toContain('image-alt');
    for (const p of ['policy', 'process', 'commitments', 'escalation', 'track', 'submit']) await visit(`/${p}`, p);
    await visit('/nowhere', 'not-found');

    await page.goto(`${t.url}/submit`);
    await page.locator('#f-description').fill('<b>x</b> 😀');
    await page.locator('form[action="/submit"] button[type="submit"]').click();
    await page.waitForLoadState();
    await check(w, lang, 'submit-errors', problems);

    await page.goto(`${t.url}/track`);
    await page.locator('#f-reference').fill('7K4M-9QX2');
    await page.locator('#f-secret').fill('nope');
    await page.locator('form[action="/track"] button[type="submit"]').click();
    await page.waitForLoadState();
    await check(w, lang, 'track-errors', problems);

    await page.goto(`${t.url}/submit`);
    await page.locator('#f-description').fill('Accessible journey.');
    await page.locator('#f-name').fill('Wei Chen');
    await page.locator('#f-email').fill(`wei${address}@example.com`);
    await page.locator('#f-consent').check();
    await page.locator('form[action="/submit"] button[type="submit"]').click();
    await page.waitForURL(/\/submit\/done$/);
    await check(w, lang, 'confirmation', problems);

    await page.goto(`${t.url}${await complaint([['acknowledge', {}], ['assess', { category: 'payments.fraud' }], ['assign', { ownerId: manager.id, attestNoConflict: true }], ['request-information', { message: 'Which card?' }]])}`);
    await check(w, lang, 'case-awaiting', problems);
    await page.goto(`${t.url}${await complaint(toResponseSent(manager.id))}`);
    await check(w, lang, 'case-answered', problems);
    await page.locator('form[action="/case/escalate"] button[type="submit"]').click();
    await page.waitForLoadState();
    await check(w, lang, 'case-errors', problems);
    await page.goto(`${t.url}${await complaint([...toResponseSent(manager.id), ['complainant-accepts', {}], ['close', { reason: 'resolved_accepted', rootCause: 'system.defect' }]])}`);
    await check(w, lang, 'case-survey', problems);

    expect(problems).toEqual([]);
    expect(w.foreign).toEqual([]);
    expect(w.cspViolations).toEqual([]);
    await context.close();
  }, 150_000);
});
