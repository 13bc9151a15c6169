/** The states of a corrective or preventive action (IMP-3) and who may move it where (pure). */
export const capaStatuses = [
  'open',
  'in_progress',
  'done',
  'verified_effective',
  'ineffective',
  'cancelled',
] as const;
export type CapaStatus = (typeof capaStatuses)[number];
export const capaKinds = ['corrective', 'preventive'] as const;

/** Allowed moves. Verification (effective / ineffective) follows completion; an ineffective action is reworked. */
export const capaTransitions: Readonly<Record<CapaStatus, readonly CapaStatus[]>> = {
  open: ['in_progress', 'done', 'cancelled'],
  in_progress: ['open', 'done', 'cancelled'],
  done: ['in_progress', 'verified_effective', 'ineffective'],
  ineffective: ['in_progress', 'cancelled'],
  verified_effective: [],
  cancelled: [],
};

/** Only quality (and admin) judge effectiveness. */
const verifyingRoles = ['quality', 'admin'];
/** Roles that may change any action; its owner may move their own through the working states. */
export const capaManagerRoles = ['manager', 'quality', 'admin'] as const;

export type CapaRefusal = 'invalid_transition' | 'role_not_permitted' | null;

export function capaTransitionRefusal(
  from: CapaStatus,
  to: CapaStatus,
  actor: { role: string; id: string | null },
  ownerId: string | null,
): CapaRefusal {
  if (from === to || !capaTransitions[from].includes(to)) return 'invalid_transition';
  if (to === 'verified_effective' || to === 'ineffective')
    return verifyingRoles.includes(actor.role) ? null : 'role_not_permitted';
  if ((capaManagerRoles as readonly string[]).includes(actor.role)) return null;
  return actor.id !== null && actor.id === ownerId && to !== 'cancelled' ? null : 'role_not_permitted';
}

/** Open work past its due date (a date, compared with today's date in UTC). */
export function capaOverdue(status: CapaStatus, dueOn: string | null, now: Date): boolean {
  if (!dueOn || !(status === 'open' || status === 'in_progress' || status === 'ineffective')) return false;
  return dueOn < now.toISOString().slice(0, 10);
}

export const formatCapaRef = (seq: number) => `CAPA-${String(seq).padStart(4, '0')}`;

/** `CAPA-0007`, `capa-7` or `7` → 7; anything else → null. */
export function parseCapaRef(input: string): number | null {
  const m = /^(?:capa-?)?0*(\d{1,9})$/i.exec(input.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 && n < 2 ** 31 ? n : null;
}
