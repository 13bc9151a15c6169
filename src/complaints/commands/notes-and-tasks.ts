import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../../shared/errors.ts';
import { assertActiveUser } from '../../identity/users.ts';
import type { ActionHandler } from '../execute-action.ts';

/** An internal note on the case (LIFE-4); never shown to the complainant. */
export const addNote: ActionHandler<'add_note'> = async ({ tx, complaint, actor, input }) => {
  const id = randomUUID();
  await tx
    .insertInto('notes')
    .values({ id, complaint_id: complaint.id, body: input.body, author_id: actor.id, author_label: actor.label })
    .execute();
  return { data: { noteId: id } };
};

/** A task with an owner and a due date (LIFE-4). */
export const addTask: ActionHandler<'add_task'> = async ({ tx, complaint, actor, input }) => {
  if (input.ownerId) await assertActiveUser(tx, input.ownerId);
  const id = randomUUID();
  await tx
    .insertInto('tasks')
    .values({
      id,
      complaint_id: complaint.id,
      title: input.title,
      owner_id: input.ownerId ?? null,
      due_at: input.dueAt ? new Date(input.dueAt) : null,
      created_by: actor.id,
    })
    .execute();
  return { data: { taskId: id, title: input.title, ownerId: input.ownerId ?? null, dueAt: input.dueAt ?? null } };
};

export const completeTask: ActionHandler<'complete_task'> = async ({ tx, complaint, actor, input, now }) => {
  const task = await tx
    .selectFrom('tasks')
    .select(['id', 'status'])
    .where('id', '=', input.taskId)
    .where('complaint_id', '=', complaint.id)
    .executeTakeFirst();
  if (!task) throw notFound('Task');
  if (task.status === 'done') throw conflict('task_already_done', 'This task is already done');
  await tx.updateTable('tasks').set({ status: 'done', completed_at: now, completed_by: actor.id }).where('id', '=', task.id).execute();
  return { data: { taskId: task.id } };
};
