/**
 * Types shared by the demo catalogue and the demo complaint corpus.
 * Pure data shapes only: the seeding code maps them onto the real schema.
 */

export type DemoLanguage = 'en' | 'ar' | 'fa' | 'zh' | 'pl' | 'nl';
export type DemoFeedbackType = 'complaint' | 'suggestion' | 'compliment';
export type DemoChannel = 'web' | 'email' | 'phone' | 'letter' | 'in_person' | 'social_media' | 'api';
export type DemoSeverity = 'low' | 'medium' | 'high' | 'critical';
export type DemoRole = 'intake' | 'handler' | 'manager' | 'quality' | 'auditor' | 'admin';

export interface DemoComplaint {
  language: DemoLanguage;
  type: DemoFeedbackType;
  channel: DemoChannel;
  categoryKey: string;
  productKey: string;
  severity: DemoSeverity;
  /** Realistic name for the language; at least one of email/phone is always present. */
  complainant: { name: string; email?: string; phone?: string };
  /** 2–6 sentences: what happened, with specifics. */
  description: string;
  /** What the complainant wants. */
  desiredRemedy?: string;
  /** How many days before seeding the event happened (1–120). */
  occurredDaysAgo: number;
}

export interface DemoOrganisation {
  name: string;
  legalName: string;
  shortName: string;
  country: string;
  currency: string;
  timezone: string;
  defaultLanguage: DemoLanguage;
  languages: DemoLanguage[];
  website: string;
  supportEmail: string;
  supportPhone: string;
}

export interface DemoTeam {
  key: string;
  name: string;
}

export interface DemoCategory {
  key: string;
  parentKey: string | null;
  name: string;
  teamKey: string;
}

export interface DemoProduct {
  key: string;
  name: string;
}

export interface DemoRemedy {
  key: string;
  name: string;
  monetary: boolean;
}

export interface DemoUser {
  email: string;
  name: string;
  role: DemoRole;
  teamKeys: string[];
}
