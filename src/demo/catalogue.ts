/**
 * Demo catalogue: the fictional organisation, its teams, category tree, products,
 * remedy catalogue and staff accounts seeded into a fresh system on first start.
 * Pure data and small pure helpers only (no I/O).
 */
import type { DemoCategory, DemoOrganisation, DemoProduct, DemoRemedy, DemoTeam, DemoUser } from './types.ts';

export type {
  DemoCategory,
  DemoOrganisation,
  DemoProduct,
  DemoRemedy,
  DemoRole,
  DemoTeam,
  DemoUser,
} from './types.ts';

export const demoOrganisation: DemoOrganisation = {
  name: 'Northbridge Bank & Utilities',
  legalName: 'Northbridge Bank & Utilities plc',
  shortName: 'Northbridge',
  country: 'GB',
  currency: 'GBP',
  timezone: 'Europe/London',
  defaultLanguage: 'en',
  languages: ['en', 'ar', 'fa', 'zh', 'pl', 'nl'],
  website: 'https://northbridge.example.org',
  supportEmail: 'complaints@example.org',
  supportPhone: '+44 20 7946 0000',
};

export const demoTeams: DemoTeam[] = [
  { key: 'frontline', name: 'Frontline Resolution' },
  { key: 'payments', name: 'Cards & Payments' },
  { key: 'lending', name: 'Lending & Mortgages' },
  { key: 'energy', name: 'Energy Customer Care' },
  { key: 'review', name: 'Case Review & Data Protection' },
];

export const demoCategories: DemoCategory[] = [
  { key: 'fees', parentKey: null, name: 'Fees and charges', teamKey: 'payments' },
  { key: 'fees.overdraft', parentKey: 'fees', name: 'Overdraft fees and interest', teamKey: 'lending' },
  {
    key: 'fees.account',
    parentKey: 'fees',
    name: 'Account charges, interest and rates',
    teamKey: 'payments',
  },

  { key: 'payments', parentKey: null, name: 'Payments and fraud', teamKey: 'payments' },
  { key: 'payments.fraud', parentKey: 'payments', name: 'Card fraud and scams', teamKey: 'payments' },
  {
    key: 'payments.transfer',
    parentKey: 'payments',
    name: 'Delayed or failed payments',
    teamKey: 'payments',
  },

  { key: 'digital', parentKey: null, name: 'Digital banking', teamKey: 'frontline' },
  {
    key: 'digital.app',
    parentKey: 'digital',
    name: 'App and online banking availability',
    teamKey: 'frontline',
  },
  {
    key: 'digital.access',
    parentKey: 'digital',
    name: 'Login, passcodes and security checks',
    teamKey: 'frontline',
  },

  { key: 'service', parentKey: null, name: 'Customer service', teamKey: 'frontline' },
  { key: 'service.staff', parentKey: 'service', name: 'Staff conduct and helpfulness', teamKey: 'frontline' },
  {
    key: 'service.wait-times',
    parentKey: 'service',
    name: 'Waiting times and call handling',
    teamKey: 'frontline',
  },
  {
    key: 'service.accounts',
    parentKey: 'service',
    name: 'Account opening, closure and changes',
    teamKey: 'frontline',
  },
  {
    key: 'service.accessibility',
    parentKey: 'service',
    name: 'Accessibility and reasonable adjustments',
    teamKey: 'frontline',
  },

  { key: 'energy', parentKey: null, name: 'Energy supply', teamKey: 'energy' },
  { key: 'energy.billing', parentKey: 'energy', name: 'Energy bills and direct debits', teamKey: 'energy' },
  { key: 'energy.meter', parentKey: 'energy', name: 'Meter readings and smart meters', teamKey: 'energy' },
  {
    key: 'energy.supply',
    parentKey: 'energy',
    name: 'Supply interruptions and prepayment',
    teamKey: 'energy',
  },

  { key: 'lending', parentKey: null, name: 'Lending', teamKey: 'lending' },
  {
    key: 'lending.decision',
    parentKey: 'lending',
    name: 'Credit decisions and applications',
    teamKey: 'lending',
  },
  {
    key: 'lending.arrears',
    parentKey: 'lending',
    name: 'Arrears, financial difficulty and collections',
    teamKey: 'lending',
  },

  { key: 'privacy', parentKey: null, name: 'Privacy and data', teamKey: 'review' },
  {
    key: 'privacy.data-protection',
    parentKey: 'privacy',
    name: 'Personal data handling and disclosure',
    teamKey: 'review',
  },
  {
    key: 'privacy.marketing',
    parentKey: 'privacy',
    name: 'Unwanted marketing and consent',
    teamKey: 'review',
  },
];

export const demoProducts: DemoProduct[] = [
  { key: 'current-account', name: 'Everyday Current Account' },
  { key: 'savings-account', name: 'Easy Access Saver' },
  { key: 'debit-card', name: 'Visa Debit Card' },
  { key: 'credit-card', name: 'Northbridge Credit Card' },
  { key: 'personal-loan', name: 'Personal Loan' },
  { key: 'mortgage', name: 'Residential Mortgage' },
  { key: 'electricity', name: 'Home Electricity Tariff' },
  { key: 'gas', name: 'Home Gas Tariff' },
  { key: 'mobile-app', name: 'Mobile & Online Banking' },
  { key: 'service-shop', name: 'Northbridge Service Shop' },
];

export const demoRemedies: DemoRemedy[] = [
  { key: 'apology', name: 'Apology', monetary: false },
  { key: 'explanation', name: 'Explanation', monetary: false },
  { key: 'refund', name: 'Refund', monetary: true },
  { key: 'fee-waiver', name: 'Fee waiver', monetary: true },
  { key: 'compensation', name: 'Compensation for distress and inconvenience', monetary: true },
  { key: 'replacement', name: 'Replacement (card, meter or device)', monetary: false },
  { key: 'goodwill-gesture', name: 'Goodwill gesture', monetary: true },
  { key: 'process-change', name: 'Process change', monetary: false },
];

export const demoUsers: DemoUser[] = [
  { email: 'priya.nair@example.org', name: 'Priya Nair', role: 'intake', teamKeys: ['frontline'] },
  {
    email: 'tomasz.wojcik@example.org',
    name: 'Tomasz Wójcik',
    role: 'handler',
    teamKeys: ['frontline', 'payments'],
  },
  {
    email: 'layla.haddad@example.org',
    name: 'Layla Haddad',
    role: 'handler',
    teamKeys: ['energy', 'lending'],
  },
  {
    email: 'david.okafor@example.org',
    name: 'David Okafor',
    role: 'manager',
    teamKeys: ['frontline', 'payments', 'lending'],
  },
  {
    email: 'sanne.devries@example.org',
    name: 'Sanne de Vries',
    role: 'manager',
    teamKeys: ['energy', 'review'],
  },
  { email: 'wei.chen@example.org', name: 'Wei Chen', role: 'quality', teamKeys: ['review'] },
  { email: 'maryam.rahimi@example.org', name: 'Maryam Rahimi', role: 'auditor', teamKeys: [] },
  { email: 'admin@example.org', name: 'Alex Morgan', role: 'admin', teamKeys: [] },
];

/** The category with this key, or undefined. */
export function findDemoCategory(key: string): DemoCategory | undefined {
  return demoCategories.find((c) => c.key === key);
}

/** The product with this key, or undefined. */
export function findDemoProduct(key: string): DemoProduct | undefined {
  return demoProducts.find((p) => p.key === key);
}

/** Key of the team that owns a category (undefined for an unknown key). */
export function teamKeyForCategory(key: string): string | undefined {
  return findDemoCategory(key)?.teamKey;
}

/** Top-level categories (no parent). */
export function rootDemoCategories(): DemoCategory[] {
  return demoCategories.filter((c) => c.parentKey === null);
}

/** Direct children of a category. */
export function childDemoCategories(parentKey: string): DemoCategory[] {
  return demoCategories.filter((c) => c.parentKey === parentKey);
}

/**
 * Categories ordered so that every parent comes before its children,
 * which is the order an insert-with-foreign-key seeder needs.
 */
export function demoCategoriesParentFirst(): DemoCategory[] {
  const out: DemoCategory[] = [];
  const visit = (parentKey: string | null): void => {
    for (const c of demoCategories) {
      if (c.parentKey === parentKey) {
        out.push(c);
        visit(c.key);
      }
    }
  };
  visit(null);
  return out;
}
