import type { ComplaintRow } from '../db/schema.ts';
import type { Catalogue } from '../catalogue/catalogue.ts';
import { personalDataRoles, type Actor } from '../identity/roles.ts';
import { allowedActions } from './lifecycle.ts';
import { factsOf } from './execute-action.ts';
import { escalationLevels } from './lifecycle.ts';

export interface ComplainantRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  preferred_language: string;
  preferred_channel: string;
  postal_address: string | null;
  anonymous: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const entry = (catalogue: Catalogue, id: string | null) => {
  const e = id ? catalogue.byId.get(id) : undefined;
  return e ? { key: e.key, name: e.name } : null;
};

export const maySeePersonalData = (actor: Actor) => personalDataRoles.includes(actor.role);

/** A complaint as the API shows it to this actor: personal data only for roles that need it (PRIV-1). */
export function presentComplaint(
  c: ComplaintRow,
  actor: Actor,
  catalogue: Catalogue,
  extra: { complainant?: ComplainantRow | null; users?: Map<string, string>; mergedIntoReference?: string | null } = {},
) {
  const personal = maySeePersonalData(actor);
  const user = (id: string | null) => (id ? { id, name: extra.users?.get(id) ?? null } : null);
  const cp = extra.complainant;
  return {
    id: c.id,
    reference: c.reference,
    type: c.type,
    channel: c.channel,
    state: c.state,
    language: c.language,
    description: c.description,
    occurredOn: c.occurred_on,
    awareOn: c.aware_on,
    location: c.location,
    desiredRemedy: c.desired_remedy,
    category: entry(catalogue, c.category_id),
    product: entry(catalogue, c.product_id),
    team: entry(catalogue, c.team_id),
    owner: user(c.owner_id),
    severity: c.severity,
    impact: c.impact,
    urgency: c.urgency,
    priority: c.priority,
    complexity: c.complexity,
    immediateAction: c.immediate_action,
    inScope: c.in_scope,
    scopeReason: c.scope_reason,
    aboutStaff: c.subject_user_id !== null,
    complainantRedacted: !personal,
    complainant:
      personal && cp
        ? {
            name: cp.name,
            email: cp.email,
            phone: cp.phone,
            preferredLanguage: cp.preferred_language,
            preferredChannel: cp.preferred_channel,
            postalAddress: cp.postal_address,
            anonymous: cp.anonymous,
          }
        : null,
    representative: personal ? c.representative : c.representative ? { redacted: true } : null,
    receivedAt: c.received_at.toISOString(),
    acknowledgedAt: iso(c.acknowledged_at),
    assessedAt: iso(c.assessed_at),
    response: c.response,
    draftedBy: user(c.drafted_by),
    approvalRequired: c.approval_required,
    approvedBy: user(c.approved_by),
    approvedAt: iso(c.approved_at),
    sentAt: iso(c.sent_at),
    complainantDecision: c.complainant_decision,
    escalationLevel: escalationLevels[c.escalation_level] ?? 'frontline',
    mergedInto: extra.mergedIntoReference ?? null,
    closedAt: iso(c.closed_at),
    closureReason: c.closure_reason,
    rootCause: c.root_cause,
    nextDueAt: iso(c.next_due_at),
    version: c.version,
    allowedActions: allowedActions(factsOf(c), actor),
  };
}

/** The short form used in lists. */
export function presentComplaintSummary(c: ComplaintRow, catalogue: Catalogue, highlight?: string | null) {
  return {
    id: c.id,
    reference: c.reference,
    type: c.type,
    channel: c.channel,
    state: c.state,
    language: c.language,
    summary: c.description.length > 200 ? `${c.description.slice(0, 199)}…` : c.description,
    highlight: highlight ?? null,
    category: entry(catalogue, c.category_id),
    product: entry(catalogue, c.product_id),
    team: entry(catalogue, c.team_id),
    ownerId: c.owner_id,
    severity: c.severity,
    priority: c.priority,
    receivedAt: c.received_at.toISOString(),
    nextDueAt: iso(c.next_due_at),
    closedAt: iso(c.closed_at),
  };
}
