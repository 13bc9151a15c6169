import { describe, expect, it } from 'vitest';
import {
  capaOverdue,
  capaStatuses,
  capaTransitionRefusal,
  capaTransitions,
  formatCapaRef,
  parseCapaRef,
} from './capa-states.ts';

const quality = { role: 'quality', id: 'q' };
const manager = { role: 'manager', id: 'm' };
const handler = { role: 'handler', id: 'h' };

describe('CAPA transitions', () => {
  it('allows only the moves of the table', () => {
    for (const from of capaStatuses)
      for (const to of capaStatuses) {
        const refusal = capaTransitionRefusal(from, to, { role: 'admin', id: 'a' }, null);
        expect(refusal === null, `${from} → ${to}`).toBe(capaTransitions[from].includes(to));
      }
  });
  it('lets only quality (or admin) judge effectiveness', () => {
    expect(capaTransitionRefusal('done', 'verified_effective', quality, null)).toBeNull();
    expect(capaTransitionRefusal('done', 'ineffective', quality, null)).toBeNull();
    expect(capaTransitionRefusal('done', 'verified_effective', manager, null)).toBe('role_not_permitted');
    expect(capaTransitionRefusal('done', 'verified_effective', handler, 'h')).toBe('role_not_permitted');
    expect(capaTransitionRefusal('open', 'verified_effective', quality, null)).toBe('invalid_transition');
  });
  it('lets the owner work on their own action but not cancel it', () => {
    expect(capaTransitionRefusal('open', 'in_progress', handler, 'h')).toBeNull();
    expect(capaTransitionRefusal('in_progress', 'done', handler, 'h')).toBeNull();
    expect(capaTransitionRefusal('open', 'cancelled', handler, 'h')).toBe('role_not_permitted');
    expect(capaTransitionRefusal('open', 'in_progress', handler, 'other')).toBe('role_not_permitted');
    expect(capaTransitionRefusal('open', 'cancelled', manager, null)).toBeNull();
  });
  it('has terminal states', () => {
    for (const to of capaStatuses) {
      expect(capaTransitionRefusal('verified_effective', to, quality, null)).toBe('invalid_transition');
      expect(capaTransitionRefusal('cancelled', to, quality, null)).toBe('invalid_transition');
    }
  });
});

describe('overdue', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it('is open work past its due date', () => {
    expect(capaOverdue('open', '2026-03-09', now)).toBe(true);
    expect(capaOverdue('in_progress', '2026-03-09', now)).toBe(true);
    expect(capaOverdue('open', '2026-03-10', now)).toBe(false);
    expect(capaOverdue('open', null, now)).toBe(false);
    expect(capaOverdue('done', '2026-01-01', now)).toBe(false);
    expect(capaOverdue('cancelled', '2026-01-01', now)).toBe(false);
  });
});

describe('references', () => {
  it('formats and parses', () => {
    expect(formatCapaRef(7)).toBe('CAPA-0007');
    expect(formatCapaRef(12345)).toBe('CAPA-12345');
    for (const s of ['CAPA-0007', 'capa-7', 'capa7', '7', ' CAPA-07 ']) expect(parseCapaRef(s)).toBe(7);
    for (const s of ['', 'CAPA-', 'x7', 'CAPA-0', '7K4M-9QX2', '99999999999'])
      expect(parseCapaRef(s)).toBeNull();
  });
});
