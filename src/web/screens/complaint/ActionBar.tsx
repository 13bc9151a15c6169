import { Button, Group, Modal, Paper, Text } from '@mantine/core';
import { useState } from 'react';
import type { Complaint } from '../../app/types.ts';
import { useT } from '../../i18n/i18n.tsx';
import { ActionForm, type FormValue } from './ActionForm.tsx';
import { LetterPreview } from './Composer.tsx';

/** Destructive or final actions are shown apart, in red. */
const cautious = new Set(['withdraw', 'close', 'merge']);

/**
 * Exactly the actions in the complaint's `allowedActions` (derived by the server from the state machine for this
 * user, in this state): one button each, opening the form built from that action's input schema.
 */
export function ActionBar(props: { complaint: Complaint; onChanged: () => void }) {
  const t = useT();
  const [open, setOpen] = useState<string | null>(null);
  // What was typed into each form stays while this complaint is on screen (closing a form loses nothing).
  const [drafts, setDrafts] = useState<Record<string, FormValue>>({});
  const actions = props.complaint.allowedActions;

  return (
    <Paper withBorder p="sm" component="section" aria-label={t('complaint.actions')} data-testid="actions">
      {actions.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="no-actions">
          {t('complaint.noActions')}
        </Text>
      ) : (
        <Group gap="xs">
          {actions.map((a) => (
            <Button
              key={a}
              size="sm"
              variant={cautious.has(a) ? 'outline' : 'filled'}
              color={cautious.has(a) ? 'red.9' : undefined}
              onClick={() => setOpen(a)}
              data-action={a}
            >
              {t(`action.${a}`, { defaultValue: a })}
            </Button>
          ))}
        </Group>
      )}
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={open !== null} onClose={() => setOpen(null)} title={open ? t(`action.${open}`) : ''} size={open === 'draft_response' ? 'xl' : 'lg'}>
        {open && (
          <ActionForm
            key={open}
            action={open}
            complaint={props.complaint}
            value={drafts[open] ?? {}}
            onChange={(v) => setDrafts((d) => ({ ...d, [open]: v }))}
            onCancel={() => setOpen(null)}
            onDone={() => {
              setDrafts((d) => ({ ...d, [open]: {} }));
              setOpen(null);
              props.onChanged();
            }}
          >
            {(open === 'send_response' || open === 'approve_response') && props.complaint.response && <LetterPreview complaint={props.complaint} draft={props.complaint.response} />}
          </ActionForm>
        )}
      </Modal>
    </Paper>
  );
}
