export const roles = ['intake', 'handler', 'manager', 'quality', 'auditor', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Roles that may see complainants' personal data (PRIV-1). The others see a redacted view. */
export const personalDataRoles: readonly Role[] = ['intake', 'handler', 'manager'];

/** Roles that read every complaint regardless of team. Handlers are scoped to their teams (and their own cases). */
export const unscopedReadRoles: readonly Role[] = ['intake', 'manager', 'quality', 'auditor', 'admin'];

/** Roles allowed to create complaints (staff intake and integrations). */
export const intakeRoles: readonly Role[] = ['intake', 'handler', 'manager'];

/** Who administers users, keys and the catalogues. */
export const adminRoles: readonly Role[] = ['admin'];

export interface Actor {
  type: 'user' | 'api_key' | 'system' | 'complainant';
  id: string | null;
  label: string;
  role: Role;
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
