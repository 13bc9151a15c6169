export const roles = ['intake', 'handler', 'manager', 'quality', 'auditor', 'admin'] as const;
export type Role = (typeof roles)[number];
/** Who can act on a complaint: a staff role, or the complainant (through the portal or e-mail, for their own case). */
export type ActorRole = Role | 'complainant';

/** Roles that may see complainants' personal data (PRIV-1). The others see a redacted view. */
export const personalDataRoles: readonly ActorRole[] = ['intake', 'handler', 'manager'];

/** Roles that read every complaint regardless of team. Handlers are scoped to their teams (and their own cases). */
export const unscopedReadRoles: readonly Role[] = ['intake', 'manager', 'quality', 'auditor', 'admin'];

/** Roles allowed to create complaints (staff intake and integrations). */
export const intakeRoles: readonly ActorRole[] = ['intake', 'handler', 'manager'];

/** Who administers users, keys and the catalogues. */
export const adminRoles: readonly Role[] = ['admin'];

export interface Actor {
  type: 'user' | 'api_key' | 'system' | 'complainant';
  id: string | null;
  label: string;
  role: ActorRole;
  teamIds: readonly string[];
  channel: 'web' | 'api' | 'cli' | 'worker' | 'portal' | 'email';
}

export const systemActor: Actor = {
  type: 'system',
  id: null,
  label: 'system',
  role: 'admin',
  teamIds: [],
  channel: 'worker',
};

/** The complainant of one case, as the portal or the inbound e-mail channel acts for them. */
export const complainantActor = (channel: Actor['channel']): Actor => ({
  type: 'complainant',
  id: null,
  label: 'complainant',
  role: 'complainant',
  teamIds: [],
  channel,
});
