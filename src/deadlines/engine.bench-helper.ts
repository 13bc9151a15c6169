/**
 * Pure-engine throughput for `npm run bench -- deadlines` (issue 3 item 8, target ≥ 200,000/s).
 *
 * One "computation" = one `computeDueDates` call for one complaint: all milestones of the profiles that apply
 * to it (1–2 profiles, 2–3 milestones each), strictest-wins merge included. The mix below is meant to look like
 * a real multi-jurisdiction backlog: receipts spread over 2026–2027 at any time of day (so DST days, holidays
 * and late-evening receipts occur), some internal profiles with pauses, some context-dependent variants.
 */
import { computeDueDates, type ComputeInput } from './engine.ts';
import { getPreset, presetCalendarMap } from './presets.ts';
import type { DeadlineProfile } from './engine.ts';
import { prng } from '../shared/prng.ts';

const MIX: Array<{ weight: number; profiles: string[]; productKind?: string; paused?: boolean }> = [
  { weight: 25, profiles: ['uk-fca-disp'] },
  { weight: 10, profiles: ['uk-fca-psd', 'uk-fca-disp'] },
  { weight: 10, profiles: ['eu-psd2'] },
  { weight: 8, profiles: ['au-asic-rg271'] },
  { weight: 3, profiles: ['au-asic-rg271'], productKind: 'credit-hardship' },
  { weight: 2, profiles: ['au-asic-rg271-super'] },
  { weight: 10, profiles: ['us-cfpb'] },
  { weight: 8, profiles: ['ie-cbi-cpc'] },
  { weight: 6, profiles: ['in-rbi'] },
  { weight: 10, profiles: ['iso-default'], paused: true },
  { weight: 8, profiles: ['iso-default', 'uk-fca-disp'] },
];


export function buildBenchInputs(count: number, seed = 42): ComputeInput[] {
  const rand = prng(seed);
  const total = MIX.reduce((s, m) => s + m.weight, 0);
  const start = Date.UTC(2026, 0, 1);
  const span = Date.UTC(2027, 11, 1) - start;
  const inputs: ComputeInput[] = [];
  for (let i = 0; i < count; i++) {
    let pick = rand() * total;
    const mix = MIX.find((m) => (pick -= m.weight) < 0) ?? MIX[0]!;
    const receivedAt = new Date(start + Math.floor(rand() * span));
    const input: ComputeInput = {
      receivedAt,
      profiles: mix.profiles.map((id) => getPreset(id) as DeadlineProfile),
      calendars: presetCalendarMap,
    };
    if (mix.productKind) input.context = { productKind: mix.productKind };
    if (mix.paused) {
      const from = receivedAt.getTime() + Math.floor(rand() * 5 * 86_400_000);
      input.pauses = [{ from: new Date(from), to: new Date(from + Math.floor(rand() * 3 * 86_400_000)) }];
    }
    inputs.push(input);
  }
  return inputs;
}

export interface EngineBenchResult {
  /** computeDueDates calls (one complaint each) per second. */
  perSecond: number;
  /** Individual milestone due instants per second. */
  milestonesPerSecond: number;
  computations: number;
  elapsedMs: number;
}

export function runEngineBench(durationMs: number): EngineBenchResult {
  const inputs = buildBenchInputs(8192);
  // Warm-up: JIT and the per-zone offset caches (a long-running server has them warm too).
  for (const input of inputs) computeDueDates(input);
  let milestones = 0;
  let computations = 0;
  const t0 = performance.now();
  let elapsed: number;
  do {
    for (let i = 0; i < 1024; i++) {
      milestones += computeDueDates(inputs[(computations + i) & 8191]!).length;
    }
    computations += 1024;
    elapsed = performance.now() - t0;
  } while (elapsed < durationMs);
  return {
    perSecond: Math.round((computations / elapsed) * 1000),
    milestonesPerSecond: Math.round((milestones / elapsed) * 1000),
    computations,
    elapsedMs: Math.round(elapsed),
  };
}
