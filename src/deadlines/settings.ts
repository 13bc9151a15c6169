/**
 * Organisation settings of the deadline monitor (SPEC TIME-5) and the escalation rules of the presets.
 * Pure data; stored in `deadline_config.settings` and edited through the administration API.
 */
import type { MilestoneName } from './engine.ts';

/** Which profiles apply to a new complaint, by category and/or product (the first matching rule wins). */
export interface ProfileRule {
  /** Category key; matches the category and its sub-categories ("fees" matches "fees.overdraft"). */
  category?: string | undefined;
  /** Product key. */
  product?: string | undefined;
  profiles: string[];
}

export interface DeadlineSettings {
  /** Shares of a milestone's time at which a warning is raised (0 < share < 1), e.g. [0.5, 0.8]. */
  warningShares: number[];
  /** Share at which a task to send a holding or delay letter is created (holding-response, regulatory final-response). */
  taskShare: number;
  /** Profiles of a complaint when neither the request nor a rule names any. */
  defaultProfiles: string[];
  rules: ProfileRule[];
}

export const DEFAULT_DEADLINE_SETTINGS: DeadlineSettings = {
  warningShares: [0.5, 0.8],
  taskShare: 0.8,
  defaultProfiles: ['iso-default'],
  rules: [],
};

export const ESCALATION_LEVELS = ['handler', 'internal_review', 'external'] as const;
export type AutoEscalationLevel = (typeof ESCALATION_LEVELS)[number];

/**
 * Automatic escalation (SPEC OBJ-2, TIME-5): when `atShare` of the milestone's time has elapsed and it is not met,
 * the complaint is escalated to `level`. An escalation that meets the milestone (internal-escalation) meets it.
 */
export interface EscalationRule {
  milestone: MilestoneName;
  level: AutoEscalationLevel;
  /** 1 = at the due instant. */
  atShare: number;
}

/**
 * RBI Internal Ombudsman directions: complaints the regulated entity rejects (wholly or partly) are escalated to
 * the Internal Ombudsman automatically, by day 20 at the latest.
 */
export const PRESET_ESCALATIONS: Readonly<Record<string, EscalationRule[]>> = {
  'in-rbi': [{ milestone: 'internal-escalation', level: 'internal_review', atShare: 1 }],
};

/** Shares as whole percentages (what `complaint_deadlines.warned_shares` stores). */
export const toPercent = (share: number): number => Math.round(share * 100);
