/**
 * The effectiveness check of a completed action (IMP-3): the rate of complaints matching the action's scope and root
 * cause in a window before completion against the same window after it. Pure.
 */
export interface EffectivenessInput {
  /** Matching complaints received in [doneAt − windowDays, doneAt). */
  before: number;
  /** Matching complaints received in [doneAt, min(now, doneAt + windowDays)). */
  after: number;
  doneAt: Date;
  now: Date;
  windowDays: number;
  /** The share by which the rate must fall to call the action effective, e.g. 0.3 for "at least 30 % fewer". */
  minDrop: number;
}

export type EffectivenessVerdict = 'too_early' | 'effective' | 'not_effective' | 'no_baseline';

export interface Effectiveness {
  verdict: EffectivenessVerdict;
  /** Complaints per 30 days. */
  beforeRate: number;
  afterRate: number | null;
  /** Relative change of the rate (−0.5 = halved), null without a baseline or before any time has passed. */
  change: number | null;
  /** Days of the after-window elapsed so far (at most windowDays). */
  elapsedDays: number;
  windowEndsAt: string;
}

const DAY = 86_400_000;
const round = (x: number) => Math.round(x * 1000) / 1000;

export function assessEffectiveness(i: EffectivenessInput): Effectiveness {
  const windowEnds = new Date(i.doneAt.getTime() + i.windowDays * DAY);
  const elapsedDays = Math.max(0, Math.min(i.windowDays, (i.now.getTime() - i.doneAt.getTime()) / DAY));
  const beforeRate = (i.before / i.windowDays) * 30;
  // Under a day after completion a rate says nothing yet.
  const afterRate = elapsedDays >= 1 ? (i.after / elapsedDays) * 30 : null;
  const change = afterRate !== null && beforeRate > 0 ? afterRate / beforeRate - 1 : null;
  let verdict: EffectivenessVerdict;
  if (i.now.getTime() < windowEnds.getTime()) verdict = 'too_early';
  else if (i.before === 0) verdict = 'no_baseline';
  else verdict = (afterRate ?? 0) <= beforeRate * (1 - i.minDrop) + 1e-9 ? 'effective' : 'not_effective';
  return {
    verdict,
    beforeRate: round(beforeRate),
    afterRate: afterRate === null ? null : round(afterRate),
    change: change === null ? null : round(change),
    elapsedDays: round(elapsedDays),
    windowEndsAt: windowEnds.toISOString(),
  };
}
