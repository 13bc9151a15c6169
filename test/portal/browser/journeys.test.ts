import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { languages } from '../../../src/shared/vocabulary.ts';
import { buildStaff, type StaffUser } from '../../helpers/factories.ts';
import { api, PNG, staffSteps, startPortalApp, toResponseSent, type PortalApp } from '../helpers.ts';
import { haveChromium, launch, newContext, screenshot, watchedPage, type Watched } from './chromium.ts';

let t: PortalApp;
let browser: Browser;
let manager: StaffUser;
const opened: Watched[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  t = await startPortalApp({ limits: { submitChallengeAfter: 2 }, challenge: { bits: 12, waitSeconds: 600 } });
  manager = await buildStaff(t.database.db, 'manager');
  browser = await launch();
}, 60_000);
afterAll(async () => {
  if (!haveChromium) return;
  // No page ever asked another origin for anything, broke the CSP, or loaded more than 80 KB of JavaScript.
  for (const w of opened) {
    expect(w.foreign, 'third-party requests').toEqual([]);
    expect(w.cspViolations, 'CSP violations').toEqual([]);
    expect([...w.scripts.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(80 * 1024);
  }
  await browser?.close();
  await t?.close();
});

let address = 0;
async function person(options: Parameters<typeof newContext>[1] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, { extraHTTPHeaders: { 'x-forwarded-for': `100.64.0.${++address}` }, ...options });
  const w = await watchedPage(context, t.url);
  opened.push(w);
  return { context, page: w.page };
}

/** Fills the form as a person does (labels, clicks), optionally with a file, and sends it. */
async function fillAndSend(page: Page, lang: string, o: { file?: boolean; description?: string } = {}) {
  await page.goto(`${t.url}/submit?lang=${lang}`);
  await page.locator('#f-description').fill(o.description ?? 'The ATM kept my card and the branch was closed. 🙁');
  await page.locator('#f-occurredOn').fill('2026-03-02');
  await page.locator('#f-name').fill('Layla Haddad');
  await page.locator('#f-email').fill(`layla-${address}@example.com`);
  if (o.file) await page.locator('#f-files').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: Buffer.from(PNG) });
  await page.locator('#f-consent').check();
  await page.locator('form[action="/submit"] button[type="submit"]').click();
  await page.waitForURL(/\/submit\/done$/);
}

async function credentials(page: Page) {
  const reference = (await page.locator('.panel .reference').textContent())!.trim();
  const secret = (await page.locator('dl.summary-list dd.code').nth(1).textContent())!.trim();
  return { reference, secret };
}

async function trackWith(page: Page, lang: string, reference: string, secret: string) {
  await page.goto(`${t.url}/track?lang=${lang}`);
  await page.locator('#f-reference').fill(reference);
  await page.locator('#f-secret').fill(secret);
  await page.locator('form[action="/track"] button[type="submit"]').click();
  await page.waitForURL(/\/case$/);
}

async function answerSurvey(page: Page) {
  for (const q of ['q_ease', 'q_informed', 'q_time', 'q_fair', 'q_overall']) await page.locator(`input[name="${q}"][value="4"]`).check();
  await page.locator('#f-survey_comment').fill('Clear and polite.');
  await page.locator('form[action="/case/survey"] button[type="submit"]').click();
  await page.waitForURL(/\/case$/);
}

describe.skipIf(!haveChromium)('complainant journeys in Chromium', () => {
  it('English: submit → track → reply with a file → accept → survey', async () => {
    const { page, context } = await person();
    await fillAndSend(page, 'en', { file: true });
    await screenshot(page, 'en-02-confirmation');
    const { reference, secret } = await credentials(page);
    expect(reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await trackWith(page, 'en', reference, secret);
    await expect.poll(() => page.locator('h1').textContent()).toContain(reference);
    await staffSteps(t.url, manager, reference, [
      ['acknowledge', {}],
      ['assess', { category: 'payments.fraud' }],
      ['assign', { ownerId: manager.id, attestNoConflict: true }],
      ['request-information', { message: 'Which branch was it, and at what time?' }],
    ]);
    await page.reload();
    await screenshot(page, 'en-03-case-awaiting');
    await page.locator('#f-message').fill('Northbridge High Street, around 18:40.');
    await page.locator('form[action="/case/reply"] #f-files').setInputFiles({ name: 'map.png', mimeType: 'image/png', buffer: Buffer.from(PNG) });
    await page.locator('form[action="/case/reply"] button[type="submit"]').click();
    await page.waitForURL(/\/case#messages$/);
    expect(await page.locator('.notice.success').textContent()).toContain('your message has been sent');
    const c = (await api(t.url, manager, 'GET', `/api/complaints/${reference}`)).body;
    expect(c.state).toBe('under_investigation');
    expect(c.attachments.map((a: { filename: string }) => a.filename).sort()).toEqual(['map.png', 'receipt.png']);
    await staffSteps(t.url, manager, reference, toResponseSent(manager.id).slice(3));
    await page.reload();
    await screenshot(page, 'en-04-case-answered');
    await page.locator('form[action="/case/accept"] button[type="submit"]').click();
    await page.waitForURL(/\/case$/);
    expect(await page.locator('.notice.success').textContent()).toContain('you accepted our answer');
    await staffSteps(t.url, manager, reference, [['close', { reason: 'resolved_accepted', rootCause: 'system.defect' }]]);
    await page.reload();
    await screenshot(page, 'en-05-case-closed-survey');
    await answerSurvey(page);
    expect(await page.locator('.notice.success').textContent()).toContain('Thank you for your answers');
    await context.close();
  }, 90_000);

  it('Arabic: submit → track → reply → reject (escalation offered) → survey, right to left', async () => {
    const { page, context } = await person();
    await page.goto(`${t.url}/?lang=ar`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await screenshot(page, 'ar-01-home');
    await fillAndSend(page, 'ar', { description: 'احتجز الصراف الآلي بطاقتي وكان الفرع مغلقًا.' });
    await screenshot(page, 'ar-02-confirmation');
    expect(await page.locator('h1').textContent()).toBe('استلمنا شكواك');
    const { reference, secret } = await credentials(page);
    await trackWith(page, 'ar', reference, secret);
    await staffSteps(t.url, manager, reference, [
      ['acknowledge', {}],
      ['assess', { category: 'payments.fraud' }],
      ['assign', { ownerId: manager.id, attestNoConflict: true }],
      ['request-information', { message: 'في أي فرع حدث ذلك؟' }],
    ]);
    await page.reload();
    await page.locator('#f-message').fill('فرع الشارع الرئيسي، حوالي الساعة 18:40.');
    await page.locator('form[action="/case/reply"] button[type="submit"]').click();
    await page.waitForURL(/\/case#messages$/);
    await staffSteps(t.url, manager, reference, toResponseSent(manager.id).slice(3));
    await page.reload();
    await screenshot(page, 'ar-03-case-answered');
    await page.locator('#f-reason').fill('المبلغ غير كافٍ.');
    await page.locator('form[action="/case/reject"] button[type="submit"]').click();
    await page.waitForURL(/\/case#escalate$/);
    expect(await page.locator('#escalate h2').textContent()).toBe('اطلب مراجعة');
    await expect.poll(() => page.locator('#escalate').isVisible()).toBe(true);
    await screenshot(page, 'ar-04-rejected-escalation-offered');
    expect((await api(t.url, manager, 'GET', `/api/complaints/${reference}`)).body.complainantDecision).toBe('rejected');
    await staffSteps(t.url, manager, reference, [['close', { reason: 'options_exhausted', rootCause: 'process.handoff' }]]);
    await page.reload();
    await answerSurvey(page);
    expect(await page.locator('.notice.success').textContent()).toContain('شكرًا لك على إجاباتك');
    await screenshot(page, 'ar-05-survey-done');
    await context.close();
  }, 90_000);

  it('smoke test in all six languages: language, direction, heading, switcher remembered', async () => {
    const { page, context } = await person();
    for (const lang of languages) {
      await page.goto(`${t.url}/?lang=${lang}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' || lang === 'fa' ? 'rtl' : 'ltr');
      expect((await page.locator('h1').textContent())!.length).toBeGreaterThan(3);
      await page.goto(`${t.url}/track`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await screenshot(page, `smoke-${lang}-track`);
    }
    await page.locator(`.lang-switcher a[hreflang="pl"]`).click();
    await page.waitForURL(/lang=pl/);
    await page.goto(`${t.url}/submit`);
    expect(await page.locator('html').getAttribute('lang')).toBe('pl');
    await context.close();
  }, 90_000);

  it('submits and tracks with JavaScript disabled; the complaint is there through the API', async () => {
    const { page, context } = await person({ javaScriptEnabled: false });
    await page.goto(`${t.url}/submit?lang=en`);
    await page.locator('#f-description').fill('No JavaScript here.');
    await page.locator('form[action="/submit"] button[type="submit"]').click();
    await page.waitForLoadState();
    expect(await page.locator('.error-summary').isVisible()).toBe(true);
    await screenshot(page, 'nojs-01-errors');
    expect(await page.locator('#f-description').inputValue()).toBe('No JavaScript here.');
    await page.locator('#f-name').fill('Piotr Nowak');
    await page.locator('#f-email').fill('piotr@example.com');
    await page.locator('#f-consent').check();
    await page.locator('form[action="/submit"] button[type="submit"]').click();
    await page.waitForURL(/\/submit\/done$/);
    const { reference, secret } = await credentials(page);
    const c = await api(t.url, manager, 'GET', `/api/complaints/${reference}`);
    expect(c.status).toBe(200);
    expect(c.body.description).toBe('No JavaScript here.');
    await trackWith(page, 'en', reference, secret);
    expect(await page.locator('h1').textContent()).toContain(reference);
    await context.close();
  }, 90_000);

  it('keyboard only: skip link, track form, reply, with a visible focus at every step', async () => {
    const { page, context } = await person();
    await fillAndSend(page, 'en');
    const { reference, secret } = await credentials(page);
    await page.goto(`${t.url}/track?lang=en`);
    const focusVisible = () =>
      page.evaluate<boolean>(`(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return false;
        const s = getComputedStyle(el);
        return s.outlineStyle !== 'none' || s.boxShadow !== 'none';
      })()`);
    const active = (what: 'id' | 'className' | 'textContent') => page.evaluate<string | undefined>(`document.activeElement?.${what}`);
    await page.keyboard.press('Tab');
    expect(await active('className')).toBe('skip-link');
    expect(await focusVisible()).toBe(true);
    await page.keyboard.press('Enter');
    const tabTo = async (id: string) => {
      for (let i = 0; i < 60; i++) {
        if ((await active('id')) === id) return;
        await page.keyboard.press('Tab');
        expect(await focusVisible()).toBe(true);
      }
      throw new Error(`never reached #${id} with Tab`);
    };
    await tabTo('f-reference');
    await page.keyboard.type(reference);
    await page.keyboard.press('Tab');
    await page.keyboard.type(secret);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/case$/);
    await tabTo('f-message');
    await page.keyboard.type('Typed with the keyboard only.');
    await page.keyboard.press('Tab'); // the file picker
    await page.keyboard.press('Tab'); // Send
    expect(await active('textContent')).toBe('Send');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/case#messages$/);
    expect(await page.locator('.message.inbound .message-body').last().textContent()).toBe('Typed with the keyboard only.');
    await context.close();
  }, 90_000);

  it('solves the proof of work in the page when the rate is high', async () => {
    const { page, context } = await person();
    for (let i = 0; i < 2; i++) await fillAndSend(page, 'en');
    await page.goto(`${t.url}/submit?lang=en`);
    expect(await page.locator('input[name="pow_challenge"]').count()).toBe(1);
    await expect.poll(() => page.locator('input[name="pow_solution"]').inputValue(), { timeout: 20_000 }).toMatch(/^\d+$/);
    await fillAndSend(page, 'en');
    expect(await page.locator('.panel .reference').textContent()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await context.close();
  }, 90_000);
});
