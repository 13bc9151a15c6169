import type { Updateable } from 'kysely';
import type { ComplaintsTable } from '../../db/schema.ts';
import { findInCatalogue } from '../../catalogue/catalogue.ts';
import { ValidationError, type FieldError } from '../../shared/errors.ts';
import { priorityOf, type State } from '../lifecycle.ts';
import type { ActionHandler } from '../execute-action.ts';

/** Initial assessment (LIFE-2): category, product, severity, impact × urgency → priority, scope. */
export const assessComplaint: ActionHandler<'assess'> = async ({ db, tx, complaint, input, now }) => {
  const errors: FieldError[] = [];
  const patch: Updateable<ComplaintsTable> = { assessed_at: now };
  if (input.category !== undefined) {
    const category = await findInCatalogue(db, 'categories', input.category, tx);
    if (!category) errors.push({ field: 'category', code: 'unknown_category', message: `No category "${input.category}"` });
    else {
      patch.category_id = category.id;
      if (category.teamId && !complaint.owner_id) patch.team_id = category.teamId;
    }
  }
  if (input.product !== undefined) {
    const product = await findInCatalogue(db, 'products', input.product, tx);
    if (!product) errors.push({ field: 'product', code: 'unknown_product', message: `No product "${input.product}"` });
    else patch.product_id = product.id;
  }
  if (errors.length > 0) throw new ValidationError(errors);
  if (input.severity !== undefined) patch.severity = input.severity;
  if (input.complexity !== undefined) patch.complexity = input.complexity;
  if (input.impact !== undefined && input.urgency !== undefined) {
    patch.impact = input.impact;
    patch.urgency = input.urgency;
    patch.priority = priorityOf(input.impact, input.urgency);
  }
  if (input.immediateAction !== undefined) patch.immediate_action = input.immediateAction;
  patch.in_scope = input.inScope;
  patch.scope_reason = input.scopeReason ?? null;

  let state: State = complaint.state as State;
  if (!input.inScope) {
    state = 'out_of_scope';
    patch.closed_at = now;
    patch.closure_reason = 'out_of_scope';
  } else if (['received', 'acknowledged'].includes(complaint.state)) {
    state = 'assessed';
  }
  return {
    state,
    patch,
    notify: state === 'out_of_scope' ? [{ topic: 'complainant.out_of_scope', payload: {} }] : [],
  };
};
