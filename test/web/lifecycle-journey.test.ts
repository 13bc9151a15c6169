import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildStaff, type StaffUser } from '../helpers/factories.ts';
import { axeViolations, describeViolations, hasChromium, launchChromium, signIn, startWebApp, type WebApp } from './helpers/browser.ts';

/**
 * One complaint from intake to closure through the screens alone: recorded at assisted intake and acknowledged,
 * assessed and assigned by a manager, a response drafted that needs a second pair of eyes, approved from the
 * approval queue by another manager, sent, accepted by the complainant (recorded by staff) and closed as resolved.
 * The API is only read, for the final assertions.
 */
type Lang = 'en' | 'ar';
const locale = (lang: Lang) => JSON.parse(readFileSync(new URL(`../../src/web/i18n/locales/${lang}.json`, import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
const label = (lang: Lang, group: string, key: string) => {
  const v = locale(lang)[group]?.[key];
  if (typeof v !== 'string') throw new Error(`no ${lang} text for ${group}.${key}`);
  return v;
};

let web: WebApp;
let browser: Browser;
let intake: StaffUser, handler: StaffUser, manager: StaffUser, manager2: StaffUser;

async function read(as: StaffUser, path: string) {
  const res = await fetch(`${web.url}${path}`, { headers: { cookie: `redress_session=${as.token}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}
async function expectAccessible(page: Page, screen: string) {
  const v = await axeViolations(page);
  expect(v, `${screen}:\n${describeViolations(v)}`).toEqual([]);
}
/** Opens an action's form from the action bar, lets `fill` complete it, submits it and waits for the state badge. */
async function act(page: Page, action: string, state: string, fill: () => Promise<void> = async () => {}) {
  await page.click(`[data-testid=actions] [data-action=${action}]`);
  await page.waitForSelector(`[data-testid=form-${action}]`);
  await fill();
  await page.click('[data-testid=submit-action]');
  await page.waitForSelector(`[data-testid=form-${action}]`, { state: 'detached' });
  await page.waitForSelector(`[data-state=${state}]`);
}
/** Ticks the no-conflict attestation when the open form asks for it. */
async function attestIfAsked(page: Page) {
  const box = page.locator('[data-testid=attest] input, input[name=attestNoConflict]');
  if ((await box.count()) > 0) await box.first().check();
}
const openComplaint = async (page: Page, reference: string) => {
  await page.goto(`${web.url}/app/complaints/${reference}`);
  await page.waitForSelector('[data-testid=actions]');
};
const offered = (page: Page) => page.locator('[data-testid=actions] [data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));

async function journey(lang: Lang) {
  const ar = lang === 'ar';
  const signInAs = async (user: StaffUser) => {
    const session = await signIn(browser, web.url, user, ar ? 'ar' : undefined);
    expect(await session.page.getAttribute('html', 'dir')).toBe(ar ? 'rtl' : 'ltr');
    return session;
  };
  const sessions: Array<{ page: Page; problems: string[] }> = [];

  // 1. The intake agent records a phone complaint at assisted intake, then acknowledges it.
  const i = await signInAs(intake);
  sessions.push(i);
  await i.page.goto(`${web.url}/app/intake`);
  await i.page.waitForSelector('[data-testid=intake-form]');
  await i.page.selectOption('select[name=channel]', 'phone');
  await i.page.fill('input[name=name]', ar ? 'ليلى حداد' : 'Grace Hopper');
  await i.page.fill('input[name=phone]', '+44 20 7946 0001');
  await i.page.fill('textarea[name=description]', ar ? 'تم خصم رسوم السحب على المكشوف مرتين من حسابي.' : 'My overdraft fee was charged twice this month.');
  await i.page.click('[data-testid=intake-submit]');
  const reference = (await i.page.locator('[data-testid=new-reference]').textContent())!.trim();
  expect(reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await i.page.click(`a[href="/app/complaints/${reference}"]`);
  await i.page.waitForSelector('[data-state=received]');
  await act(i.page, 'acknowledge', 'acknowledged');

  // 2. A manager assesses it (category, impact, urgency) and assigns it to the handler.
  const m = await signInAs(manager);
  sessions.push(m);
  await openComplaint(m.page, reference);
  await act(m.page, 'assess', 'assessed', async () => {
    await m.page.selectOption('[data-testid=form-assess] select[name=category]', 'fees.overdraft');
    await m.page.selectOption('[data-testid=form-assess] select[name=impact]', 'medium');
    await m.page.selectOption('[data-testid=form-assess] select[name=urgency]', 'high');
  });
  await act(m.page, 'assign', 'under_investigation', async () => {
    await m.page.selectOption('[data-testid=owner-picker]', handler.id);
    await attestIfAsked(m.page);
  });

  // 3. The handler drafts a response (not upheld: approval required) and is not offered send.
  const h = await signInAs(handler);
  sessions.push(h);
  await openComplaint(h.page, reference);
  await act(h.page, 'draft_response', 'response_drafted', async () => {
    await attestIfAsked(h.page);
    await h.page.selectOption('select[name=outcome]', 'not_upheld');
    await h.page.fill('textarea[name=reasons]', ar ? 'تم احتساب الرسوم وفق الشروط.' : 'The fee was charged once under the account terms; the second entry was a pending item.');
    await h.page.selectOption('[data-testid=template-picker]', { index: 1 });
    await h.page.click('[data-testid=use-template]');
    expect(await h.page.inputValue('[data-testid=composer-message]')).toContain(reference);
  });
  await h.page.waitForSelector('[data-testid=approval-required]');
  expect(await offered(h.page)).not.toContain('send_response');
  expect(await offered(h.page)).not.toContain('approve_response');

  // 4. A second manager approves it from the approval queue.
  const m2 = await signInAs(manager2);
  sessions.push(m2);
  await m2.page.goto(`${web.url}/app/queues/approvals`);
  await m2.page.waitForSelector(`[data-reference="${reference}"]`);
  await m2.page.click(`a[href="/app/complaints/${reference}"]`);
  await m2.page.waitForSelector('[data-testid=actions]');
  await act(m2.page, 'approve_response', 'response_approved', async () => {
    await m2.page.waitForSelector('[data-testid=preview]');
  });

  // 5. The handler sends it.
  await openComplaint(h.page, reference);
  await h.page.waitForSelector('[data-state=response_approved]');
  await act(h.page, 'send_response', 'response_sent');

  // 6. Staff (the intake agent, on the telephone) record that the complainant accepts.
  await openComplaint(i.page, reference);
  await i.page.waitForSelector('[data-state=response_sent]');
  await i.page.click('[data-testid=actions] [data-action=complainant_accepts]');
  await i.page.waitForSelector('[data-testid=form-complainant_accepts]');
  await i.page.click('[data-testid=submit-action]');
  await i.page.waitForSelector('[data-testid=form-complainant_accepts]', { state: 'detached' });
  await i.page.locator('[data-testid=actions] [data-action=complainant_accepts]').waitFor({ state: 'detached' });

  // 7. The handler closes it: resolved, accepted.
  await openComplaint(h.page, reference);
  await act(h.page, 'close', 'closed', async () => {
    await h.page.selectOption('[data-testid=form-close] select[name=reason]', 'resolved_accepted');
  });

  // The screen shows it closed, and the history lists every step, newest first.
  await h.page.reload();
  await h.page.waitForSelector('[data-state=closed]');
  const timeline = h.page.locator('[data-testid=timeline]');
  await timeline.waitFor();
  const steps = ['create', 'acknowledge', 'assess', 'assign', 'draft_response', 'approve_response', 'send_response', 'complainant_accepts', 'close'];
  const titles = (await timeline.locator('.mantine-Timeline-itemTitle').allTextContents()).map((x) => x.trim());
  expect(titles).toEqual(steps.map((s) => label(lang, 'action', s)).reverse());
  const text = (await timeline.textContent()) ?? '';
  expect(text).toContain(label(lang, 'state', 'closed'));
  expect(text).toContain((locale(lang).enum as Record<string, Record<string, string>>).reason!.resolved_accepted);
  expect(await offered(h.page)).not.toContain('close');
  if (ar) expect(await h.page.getAttribute('html', 'dir')).toBe('rtl');
  await expectAccessible(h.page, `closed complaint (${lang})`);

  // Read back through the API: closed, resolved and accepted, approved by the second manager.
  const c = await read(manager, `/api/complaints/${reference}`);
  expect(c).toMatchObject({
    state: 'closed',
    channel: 'phone',
    category: { key: 'fees.overdraft' },
    impact: 'medium',
    urgency: 'high',
    owner: { id: handler.id },
    draftedBy: { id: handler.id },
    approvalRequired: true,
    approvedBy: { id: manager2.id },
    complainantDecision: 'accepted',
    closureReason: 'resolved_accepted',
  });
  expect(c.response).toMatchObject({ outcome: 'not_upheld' });

  for (const s of sessions) {
    expect(s.problems).toEqual([]);
    await s.page.context().close();
  }
}

describe.skipIf(!hasChromium)('a complaint from intake to closure, through the screens', () => {
  beforeAll(async () => {
    web = await startWebApp();
    const db = web.database.db;
    [intake, handler, manager, manager2] = await Promise.all([
      buildStaff(db, 'intake', ['frontline']),
      buildStaff(db, 'handler', ['lending']),
      buildStaff(db, 'manager', ['lending']),
      buildStaff(db, 'manager'),
    ]);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('in English: recorded, acknowledged, assessed, assigned, drafted, approved by a second manager, sent, accepted and closed', async () => {
    await journey('en');
  }, 120_000);

  it('in Arabic, right to left: the same journey', async () => {
    await journey('ar');
  }, 120_000);
});
