/** The shapes the workspace reads from the API (see /api/openapi.json). */
export interface Me {
  id: string;
  name: string;
  email: string;
  role: 'intake' | 'handler' | 'manager' | 'quality' | 'auditor' | 'admin';
  locale: string;
  teams: Array<{ key: string; name: string }>;
}

export interface Named {
  key: string;
  name: string;
}

export interface ComplaintSummary {
  id: string;
  reference: string;
  type: string;
  channel: string;
  state: string;
  language: string;
  summary: string;
  highlight: string | null;
  category: Named | null;
  product: Named | null;
  team: Named | null;
  ownerId: string | null;
  severity: string | null;
  priority: string | null;
  receivedAt: string;
  nextDueAt: string | null;
  closedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Deadline {
  milestone?: string;
  kind?: string;
  profile?: string;
  dueAt: string | null;
  status?: string;
  metAt?: string | null;
  [key: string]: unknown;
}

export interface HistoryEvent {
  id: string;
  seq: number;
  action: string;
  actor: { type: string; label: string };
  channel: string;
  at: string;
  data: Record<string, unknown>;
  hash: string;
}

export interface Complaint {
  id: string;
  reference: string;
  type: string;
  channel: string;
  state: string;
  language: string;
  description: string;
  occurredOn: string | null;
  awareOn: string | null;
  location: string | null;
  desiredRemedy: string | null;
  category: Named | null;
  product: Named | null;
  team: Named | null;
  owner: { id: string; name: string | null } | null;
  severity: string | null;
  impact: string | null;
  urgency: string | null;
  priority: string | null;
  complexity: string | null;
  immediateAction: boolean;
  inScope: boolean | null;
  scopeReason: string | null;
  aboutStaff: boolean;
  complainantRedacted: boolean;
  complainant: {
    name: string | null;
    email: string | null;
    phone: string | null;
    preferredLanguage: string;
    preferredChannel: string;
    postalAddress: string | null;
    anonymous: boolean;
  } | null;
  representative: { name?: string; relationship?: string; redacted?: boolean; authorityEvidence?: string } | null;
  receivedAt: string;
  acknowledgedAt: string | null;
  response: { outcome: string; reasons: string; remedies: Array<{ key: string; amount?: number; note?: string }>; message?: string } | null;
  draftedBy: { id: string; name: string | null } | null;
  approvalRequired: boolean;
  approvedBy: { id: string; name: string | null } | null;
  approvedAt: string | null;
  sentAt: string | null;
  complainantDecision: string | null;
  escalationLevel: string;
  mergedInto: string | null;
  closedAt: string | null;
  closureReason: string | null;
  nextDueAt: string | null;
  version: number;
  allowedActions: string[];
  notes?: Array<{ id: string; body: string; author: string; createdAt: string }>;
  tasks?: Array<{ id: string; title: string; owner: { id: string; name: string | null } | null; dueAt: string | null; status: string; completedAt: string | null }>;
  messages?: Array<{ id: string; direction: string; channel: string; subject: string | null; body: string; createdAt: string }>;
  links?: Array<{ id: string; kind: string; direction: string; reference: string; state: string }>;
  attachments?: Array<{ id: string; filename: string; mime: string; size: number; sha256: string; source: string; createdAt: string }>;
  history?: HistoryEvent[];
  deadlines?: unknown;
}

export interface Catalogue {
  categories: Array<{ key: string; name: string; parent: string | null; team: string | null }>;
  products: Named[];
  remedies: Array<{ key: string; name: string; monetary: boolean }>;
  teams: Named[];
}

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: string;
  locale: string;
  active: boolean;
  teams: string[];
}
