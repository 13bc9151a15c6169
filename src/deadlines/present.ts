/** How deadlines look in the API: a complaint's milestones, profiles and calendars (pure). */
import type { ComplaintRow } from '../db/schema.ts';
import type { CalendarEntry, DeadlineConfig, ProfileEntry, ProfileVersion } from './config.ts';
import { toPercent } from './settings.ts';
import { computeRows, RUNNING, shareAt, type DeadlineRow, type PinnedProfile } from './tracking.ts';

export type LiveStatus = 'on_track' | 'at_risk' | 'breached' | 'met' | 'paused' | 'lapsed' | 'cancelled';

/** The status as of now (the monitor records the events; this never waits for it). */
export function liveStatus(row: DeadlineRow, config: DeadlineConfig, now: Date): LiveStatus {
  switch (row.status) {
    case 'met':
    case 'lapsed':
    case 'cancelled':
    case 'breached':
      return row.status;
    case 'pending':
    case 'at_risk': {
      if (row.paused_at) return 'paused';
      if (row.due_at.getTime() <= now.getTime()) return 'breached';
      const atRisk = Math.max(0, ...config.settings.warningShares.map(toPercent));
      return row.status === 'at_risk' || (atRisk > 0 && shareAt(row, now) * 100 >= atRisk)
        ? 'at_risk'
        : 'on_track';
    }
  }
}

/** A complaint's deadlines, earliest first; `governing` marks the strictest open clock of each milestone. */
export function presentDeadlines(
  complaint: Pick<ComplaintRow, 'received_at' | 'deadline_profiles' | 'response'>,
  rows: readonly DeadlineRow[],
  config: DeadlineConfig,
  now: Date,
  productKind?: string,
) {
  const pins = (complaint.deadline_profiles ?? []) as PinnedProfile[];
  const outcome = complaint.response?.outcome;
  const rules = new Map<string, string>();
  try {
    for (const c of computeRows(config, pins, complaint.received_at, {
      ...(outcome ? { outcome } : {}),
      ...(productKind ? { productKind } : {}),
    })) {
      rules.set(`${c.milestone}\u0000${c.profile.profile.id}`, c.computed.rule);
    }
  } catch {
    /* a rule text is a nicety: never fail a read for it */
  }
  const sorted = [...rows].sort(
    (a, b) => a.due_at.getTime() - b.due_at.getTime() || a.milestone.localeCompare(b.milestone),
  );
  const governing = new Set<DeadlineRow>();
  for (const r of sorted) {
    if (!RUNNING.includes(r.status) && r.status !== 'breached') continue;
    if (r.paused_at) continue;
    if (![...governing].some((g) => g.milestone === r.milestone)) governing.add(r);
  }
  return sorted.map((r) => {
    const status = liveStatus(r, config, now);
    const open = status !== 'met' && status !== 'cancelled' && status !== 'lapsed';
    const until = r.paused_at ?? now;
    return {
      name: r.milestone,
      dueAt: r.due_at.toISOString(),
      profile: r.profile_id,
      version: r.profile_version,
      clock: r.clock,
      calendar: { id: r.calendar_id, version: r.calendar_version },
      status,
      governing: governing.has(r),
      paused: r.paused_at !== null,
      startsAt: r.starts_at.toISOString(),
      share: open ? Math.round(shareAt(r, now) * 1000) / 1000 : null,
      timeLeftSeconds: open ? Math.round((r.due_at.getTime() - until.getTime()) / 1000) : null,
      metAt: r.met_at?.toISOString() ?? null,
      late: r.met_at !== null && r.met_at.getTime() > r.due_at.getTime(),
      breachedAt: r.breached_at?.toISOString() ?? null,
      warnedShares: r.warned_shares.map((p) => p / 100),
      taskId: r.task_id,
      rule: rules.get(`${r.milestone}\u0000${r.profile_id}`) ?? null,
    };
  });
}

export function presentProfileVersion(v: ProfileVersion) {
  return {
    version: v.profile.version,
    name: v.profile.name,
    jurisdiction: v.profile.jurisdiction,
    source: v.profile.source,
    calendarId: v.profile.calendarId,
    milestones: v.profile.milestones,
    escalations: v.escalations,
    effectiveFrom: v.effectiveFrom.toISOString(),
    note: v.note,
    createdAt: v.createdAt.toISOString(),
  };
}

export function presentProfile(e: ProfileEntry, withVersions = false) {
  const current = e.versions.find((v) => v.profile.version === e.currentVersion) ?? e.versions.at(-1);
  return {
    id: e.id,
    active: e.active,
    currentVersion: e.currentVersion,
    ...(current ? presentProfileVersion(current) : {}),
    ...(withVersions ? { versions: e.versions.map(presentProfileVersion) } : {}),
  };
}

export function presentCalendar(e: CalendarEntry) {
  return {
    id: e.id,
    active: e.active,
    version: e.currentVersion,
    name: e.calendar.name,
    timeZone: e.calendar.timeZone,
    workingHours: e.calendar.workingHours,
    holidays: e.calendar.holidays.map((date) => ({ date, name: e.holidayNames.get(date) ?? null })),
  };
}
