import type { ActionName } from './lifecycle.ts';
import type { ActionHandler } from './execute-action.ts';
import { acknowledgeComplaint } from './commands/acknowledge.ts';
import { assessComplaint } from './commands/assess.ts';
import { assignComplaint } from './commands/assign.ts';
import { addAttachment } from './commands/add-attachment.ts';
import { addNote, addTask, completeTask } from './commands/notes-and-tasks.ts';
import { addMessage, informationReceived, requestInformation } from './commands/information.ts';
import { linkComplaint, markDuplicate, mergeComplaint } from './commands/links.ts';
import { approveResponse, complainantAccepts, complainantRejects, draftResponse, sendResponse } from './commands/response.ts';
import { closeComplaint, escalateComplaint, reopenComplaint, withdrawComplaint } from './commands/escalate-close.ts';

/** One handler per action of the state machine; the type makes a missing one a compile error. */
export const handlers: { [A in ActionName]: ActionHandler<A> } = {
  acknowledge: acknowledgeComplaint,
  assess: assessComplaint,
  assign: assignComplaint,
  add_note: addNote,
  add_attachment: addAttachment,
  add_message: addMessage,
  add_task: addTask,
  complete_task: completeTask,
  request_information: requestInformation,
  information_received: informationReceived,
  link: linkComplaint,
  mark_duplicate: markDuplicate,
  merge: mergeComplaint,
  draft_response: draftResponse,
  approve_response: approveResponse,
  send_response: sendResponse,
  complainant_accepts: complainantAccepts,
  complainant_rejects: complainantRejects,
  escalate: escalateComplaint,
  reopen: reopenComplaint,
  withdraw: withdrawComplaint,
  close: closeComplaint,
};
