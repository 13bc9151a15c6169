import type { Me } from '../../app/types.ts';
import { openStates } from '../../../complaints/lifecycle.ts';

// The lists come from the server's own definitions: the state machine and the shared vocabulary.
export { openStates, states as allStates } from '../../../complaints/lifecycle.ts';
export { channels, feedbackTypes } from '../../../shared/vocabulary.ts';
export const sorts = ['received_desc', 'received_asc', 'due_asc'] as const;

export type Filters = Record<string, string | string[] | undefined>;

export interface QueueDef {
  id: string;
  /** The filters of this queue (the user may narrow them further). */
  filters: (me: Me) => Filters;
  /** Who sees this queue in their list. */
  for: (me: Me) => boolean;
  /** Read from the approvals endpoint rather than the complaint list. */
  source?: 'approvals';
}

const caseWorker = (me: Me) => me.role === 'handler' || me.role === 'manager';
const open = [...openStates];

/** The queues ("saved views" every user has): WORK-1. */
export const queues: QueueDef[] = [
  { id: 'mine', for: caseWorker, filters: () => ({ owner: 'me', state: open }) },
  {
    id: 'team',
    for: (me) => caseWorker(me) && me.teams.length > 0,
    // A handler sees only their teams' complaints anyway; a manager's team is the first they belong to.
    filters: (me) => (me.role === 'handler' ? { state: open } : { team: me.teams[0]?.key, state: open }),
  },
  { id: 'unassigned', for: (me) => me.role !== 'auditor' && me.role !== 'quality', filters: () => ({ owner: 'none', state: open }) },
  { id: 'due_soon', for: () => true, filters: () => ({ dueWithinHours: '72', sort: 'due_asc' }) },
  { id: 'breached', for: () => true, filters: () => ({ breached: 'true', sort: 'due_asc', state: open }) },
  { id: 'approvals', for: (me) => me.role === 'manager', filters: () => ({}), source: 'approvals' },
  { id: 'awaiting_complainant', for: () => true, filters: () => ({ state: 'awaiting_complainant' }) },
  { id: 'all', for: () => true, filters: () => ({}) },
];

export const queuesFor = (me: Me) => queues.filter((q) => q.for(me));

export function defaultQueue(me: Me): string {
  if (me.role === 'handler') return 'mine';
  if (me.role === 'manager') return 'unassigned';
  return 'all';
}

/** The user's own saved views (filters they named), kept on this device. */
export interface SavedView {
  name: string;
  base: string;
  search: string;
}
const viewsKey = (me: Me) => `redress.views.${me.id}`;
export function savedViews(me: Me): SavedView[] {
  try {
    const v = JSON.parse(localStorage.getItem(viewsKey(me)) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as SavedView[]) : [];
  } catch {
    return [];
  }
}
export function saveView(me: Me, view: SavedView) {
  const rest = savedViews(me).filter((v) => v.name !== view.name);
  localStorage.setItem(viewsKey(me), JSON.stringify([...rest, view].slice(-20)));
}
export function deleteView(me: Me, name: string) {
  localStorage.setItem(viewsKey(me), JSON.stringify(savedViews(me).filter((v) => v.name !== name)));
}
