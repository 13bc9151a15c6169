import { describe, expect, it } from 'vitest';
import {
  demoCategories,
  demoCategoriesParentFirst,
  demoOrganisation,
  demoProducts,
  demoRemedies,
  demoTeams,
  demoUsers,
} from './catalogue.ts';
import {
  countDemoComplaintsBy,
  demoComplaints,
  demoComplaintsByLanguage,
  demoComplaintsInterleaved,
  demoLanguages,
  demoOccurredAt,
} from './corpus.ts';

const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/gu;
const HAN_SCRIPT = /\p{Script=Han}/gu;
const LETTER = /\p{L}/gu;
const PERSIAN_ONLY_LETTERS = /[پچژگیک]/u; // letters Persian uses and Arabic does not

function share(text: string, script: RegExp): number {
  const letters = text.match(LETTER)?.length ?? 0;
  const inScript = text.match(script)?.length ?? 0;
  return letters === 0 ? 0 : inScript / letters;
}

describe('demo catalogue', () => {
  it('names the organisation', () => {
    expect(demoOrganisation.name).toBe('Northbridge Bank & Utilities');
  });

  it('has unique keys everywhere', () => {
    for (const list of [demoTeams, demoCategories, demoProducts, demoRemedies]) {
      const keys = list.map((x) => x.key);
      expect(new Set(keys).size).toBe(keys.length);
    }
    const emails = demoUsers.map((u) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('is a two-level category tree whose teams exist', () => {
    const keys = new Set(demoCategories.map((c) => c.key));
    const teams = new Set(demoTeams.map((t) => t.key));
    expect(demoCategories.length).toBeGreaterThanOrEqual(15);
    for (const c of demoCategories) {
      expect(teams.has(c.teamKey), c.key).toBe(true);
      if (c.parentKey !== null) {
        expect(keys.has(c.parentKey), c.key).toBe(true);
        const parent = demoCategories.find((p) => p.key === c.parentKey);
        expect(parent?.parentKey, `${c.key} must be second level`).toBeNull();
        expect(c.key.startsWith(`${c.parentKey}.`)).toBe(true);
      }
    }
    const ordered = demoCategoriesParentFirst();
    expect(ordered).toHaveLength(demoCategories.length);
    const seen = new Set<string>();
    for (const c of ordered) {
      if (c.parentKey !== null) expect(seen.has(c.parentKey)).toBe(true);
      seen.add(c.key);
    }
  });

  it('has the remedy catalogue', () => {
    expect(demoRemedies.map((r) => r.key).sort()).toEqual(
      [
        'apology',
        'compensation',
        'explanation',
        'fee-waiver',
        'goodwill-gesture',
        'process-change',
        'refund',
        'replacement',
      ].sort(),
    );
    expect(demoRemedies.find((r) => r.key === 'refund')?.monetary).toBe(true);
    expect(demoRemedies.find((r) => r.key === 'apology')?.monetary).toBe(false);
  });

  it('has a user per role, two handlers and two managers, on example.org in real teams', () => {
    const teams = new Set(demoTeams.map((t) => t.key));
    for (const role of ['intake', 'handler', 'manager', 'quality', 'auditor', 'admin'] as const) {
      expect(
        demoUsers.some((u) => u.role === role),
        role,
      ).toBe(true);
    }
    expect(demoUsers.filter((u) => u.role === 'handler').length).toBeGreaterThanOrEqual(2);
    expect(demoUsers.filter((u) => u.role === 'manager').length).toBeGreaterThanOrEqual(2);
    for (const u of demoUsers) {
      expect(u.email).toMatch(/^[a-z0-9.]+@example\.org$/);
      for (const t of u.teamKeys) expect(teams.has(t), `${u.email} team ${t}`).toBe(true);
    }
  });
});

describe('demo complaint corpus', () => {
  it('has about 200 entries', () => {
    expect(demoComplaints.length).toBeGreaterThanOrEqual(180);
    expect(demoComplaints.length).toBeLessThanOrEqual(220);
  });

  it('has at least 30 entries per language, each tagged with its own language', () => {
    for (const lang of demoLanguages) {
      const list = demoComplaintsByLanguage[lang];
      expect(list.length, lang).toBeGreaterThanOrEqual(30);
      for (const e of list) expect(e.language).toBe(lang);
    }
    expect(countDemoComplaintsBy('language').size).toBe(6);
  });

  it('references only existing leaf categories and products', () => {
    const categoryKeys = new Set(demoCategories.map((c) => c.key));
    const parentKeys = new Set(demoCategories.map((c) => c.parentKey).filter((k) => k !== null));
    const productKeys = new Set(demoProducts.map((p) => p.key));
    for (const e of demoComplaints) {
      expect(categoryKeys.has(e.categoryKey), e.categoryKey).toBe(true);
      expect(parentKeys.has(e.categoryKey), `${e.categoryKey} is not a leaf`).toBe(false);
      expect(productKeys.has(e.productKey), e.productKey).toBe(true);
    }
  });

  it('uses most categories, every product and every channel', () => {
    const leaves = demoCategories.filter((c) => !demoCategories.some((d) => d.parentKey === c.key));
    const used = new Set(demoComplaints.map((e) => e.categoryKey));
    for (const leaf of leaves) expect(used.has(leaf.key), leaf.key).toBe(true);
    const products = new Set(demoComplaints.map((e) => e.productKey));
    for (const p of demoProducts) expect(products.has(p.key), p.key).toBe(true);
    const channels = countDemoComplaintsBy('channel');
    for (const ch of ['web', 'email', 'phone', 'letter', 'in_person', 'social_media', 'api'] as const) {
      expect(channels.get(ch) ?? 0, ch).toBeGreaterThan(0);
    }
  });

  it('gives every complainant a name and an email or phone', () => {
    for (const e of demoComplaints) {
      expect(e.complainant.name.trim()).not.toBe('');
      expect(Boolean(e.complainant.email) || Boolean(e.complainant.phone), e.complainant.name).toBe(true);
      if (e.complainant.email !== undefined) {
        expect(e.complainant.email).toMatch(/^[a-z0-9.]+@example\.(com|net)$/);
      }
      if (e.complainant.phone !== undefined) expect(e.complainant.phone).toMatch(/^\+44 7700 900\d{3}$/);
    }
  });

  it('does not reuse contact details across different complainants', () => {
    const owner = new Map<string, string>();
    for (const e of demoComplaints) {
      for (const contact of [e.complainant.email, e.complainant.phone]) {
        if (contact === undefined) continue;
        const prev = owner.get(contact);
        expect(
          prev === undefined || prev === e.complainant.name,
          `${contact}: ${prev} / ${e.complainant.name}`,
        ).toBe(true);
        owner.set(contact, e.complainant.name);
      }
    }
  });

  it('is mostly complaints with some suggestions and compliments', () => {
    const types = countDemoComplaintsBy('type');
    const n = demoComplaints.length;
    const complaints = types.get('complaint') ?? 0;
    const suggestions = types.get('suggestion') ?? 0;
    const compliments = types.get('compliment') ?? 0;
    expect(complaints + suggestions + compliments).toBe(n);
    expect(complaints / n).toBeGreaterThan(0.8);
    expect(complaints / n).toBeLessThan(0.9);
    expect(suggestions / n).toBeGreaterThan(0.07);
    expect(compliments / n).toBeGreaterThan(0.03);
  });

  it('has non-empty descriptions of a sensible length and valid fields', () => {
    for (const e of demoComplaints) {
      expect(e.description.trim().length).toBeGreaterThan(40);
      expect(e.description.length).toBeLessThan(1200);
      if (e.desiredRemedy !== undefined) expect(e.desiredRemedy.trim()).not.toBe('');
      expect(Number.isInteger(e.occurredDaysAgo)).toBe(true);
      expect(e.occurredDaysAgo).toBeGreaterThanOrEqual(1);
      expect(e.occurredDaysAgo).toBeLessThanOrEqual(120);
      expect(['low', 'medium', 'high', 'critical']).toContain(e.severity);
    }
    expect(new Set(demoComplaints.map((e) => e.severity)).size).toBe(4);
    const descriptions = demoComplaints.map((e) => e.description);
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });

  it('writes Arabic and Persian in Arabic script, Persian with Persian letters', () => {
    for (const e of [...demoComplaintsByLanguage.ar, ...demoComplaintsByLanguage.fa]) {
      // embedded English terms (e.g. "Confirmation of Payee") are realistic, so not 100%
      expect(share(e.description, ARABIC_SCRIPT), e.description).toBeGreaterThan(0.75);
      expect(share(e.complainant.name, ARABIC_SCRIPT), e.complainant.name).toBeGreaterThan(0.9);
      if (e.desiredRemedy !== undefined) expect(share(e.desiredRemedy, ARABIC_SCRIPT)).toBeGreaterThan(0.5);
    }
    for (const e of demoComplaintsByLanguage.fa) expect(e.description).toMatch(PERSIAN_ONLY_LETTERS);
    for (const e of demoComplaintsByLanguage.ar) expect(e.description).not.toMatch(PERSIAN_ONLY_LETTERS);
  });

  it('writes Chinese in Han script', () => {
    for (const e of demoComplaintsByLanguage.zh) {
      expect(share(e.description, HAN_SCRIPT), e.description).toBeGreaterThan(0.6);
      expect(share(e.complainant.name, HAN_SCRIPT)).toBe(1);
    }
  });

  it('writes English, Polish and Dutch in Latin script', () => {
    for (const lang of ['en', 'pl', 'nl'] as const) {
      for (const e of demoComplaintsByLanguage[lang]) {
        expect(share(e.description, /\p{Script=Latin}/gu), e.description).toBeGreaterThan(0.99);
      }
    }
    expect(demoComplaintsByLanguage.pl.some((e) => /[ąćęłńóśźż]/u.test(e.description))).toBe(true);
  });

  it('has pure helpers', () => {
    const now = new Date('2025-06-30T12:00:00Z');
    expect(demoOccurredAt({ occurredDaysAgo: 2 }, now).toISOString()).toBe('2025-06-28T12:00:00.000Z');
    const mixed = demoComplaintsInterleaved();
    expect(mixed).toHaveLength(demoComplaints.length);
    expect(new Set(mixed)).toEqual(new Set(demoComplaints));
    expect(mixed.slice(0, 6).map((e) => e.language)).toEqual([...demoLanguages]);
  });
});
