import { Badge, Group, Paper, Stack, Table, Text, Timeline as MTimeline } from '@mantine/core';
import type { Complaint, HistoryEvent } from '../../app/types.ts';
import { directionOf, useFormat, useLanguage, useT } from '../../i18n/i18n.tsx';

/** The full history of the case: who did what, when, from which channel (LIFE-8). */
export function Timeline(props: { events: HistoryEvent[] }) {
  const t = useT();
  const f = useFormat();
  const { lang } = useLanguage();
  const arrow = directionOf(lang) === 'rtl' ? '←' : '→';
  const events = [...props.events].reverse();
  return (
    <MTimeline bulletSize={14} lineWidth={2} active={events.length} data-testid="timeline">
      {events.map((e) => {
        const after = (e.data.after ?? {}) as Record<string, unknown>;
        const before = (e.data.before ?? {}) as Record<string, unknown>;
        const moved = typeof after.state === 'string' && typeof before.state === 'string' && after.state !== before.state;
        // Codes in their words (outcome, level, closure reason); free text as written.
        const detail = ['reason', 'comment', 'outcome', 'level']
          .map((k) => {
            const v = e.data[k];
            if (typeof v !== 'string' || v === '') return null;
            return k !== 'comment' && /^[a-z_]+$/.test(v) ? t(`enum.${k}.${v}`, { defaultValue: v }) : v;
          })
          .filter((v): v is string => v !== null);
        return (
          <MTimeline.Item key={e.id} title={<Text fw={600} size="sm">{t(`action.${e.action}`, { defaultValue: e.action })}</Text>}>
            <Text size="xs" c="dimmed">
              {f.dateTime(e.at)} · {e.actor.label} · {t(`enum.channel.${e.channel}`, { defaultValue: e.channel })}
            </Text>
            {moved && (
              <Text size="sm">
                {t(`state.${String(before.state)}`)} {arrow} {t(`state.${String(after.state)}`)}
              </Text>
            )}
            {detail.length > 0 && (
              <Text size="sm" className="pre-wrap">
                {detail.join(' · ')}
              </Text>
            )}
          </MTimeline.Item>
        );
      })}
    </MTimeline>
  );
}

export function Notes(props: { notes: NonNullable<Complaint['notes']> }) {
  const t = useT();
  const f = useFormat();
  if (props.notes.length === 0) return <Text c="dimmed">{t('complaint.noNotes')}</Text>;
  return (
    <Stack gap="xs" data-testid="notes">
      {props.notes.map((n) => (
        <Paper key={n.id} withBorder p="sm">
          <Text size="xs" c="dimmed">
            {n.author} · {f.dateTime(n.createdAt)}
          </Text>
          <Text size="sm" className="pre-wrap" dir="auto">
            {n.body}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

export function Tasks(props: { tasks: NonNullable<Complaint['tasks']> }) {
  const t = useT();
  const f = useFormat();
  if (props.tasks.length === 0) return <Text c="dimmed">{t('complaint.noTasks')}</Text>;
  return (
    <Table data-testid="tasks" fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('input.title')}</Table.Th>
          <Table.Th>{t('field.owner')}</Table.Th>
          <Table.Th>{t('input.dueAt')}</Table.Th>
          <Table.Th>{t('field.state')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {props.tasks.map((task) => (
          <Table.Tr key={task.id}>
            <Table.Td dir="auto">{task.title}</Table.Td>
            <Table.Td>{task.owner?.name ?? '—'}</Table.Td>
            <Table.Td>{f.dateTime(task.dueAt) || '—'}</Table.Td>
            <Table.Td>
              <Badge color={task.status === 'done' ? '#237032' : '#1864ab'} variant="outline">
                {t(`task.${task.status}`, { defaultValue: task.status })}
              </Badge>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function Messages(props: { messages: NonNullable<Complaint['messages']> }) {
  const t = useT();
  const f = useFormat();
  if (props.messages.length === 0) return <Text c="dimmed">{t('complaint.noMessages')}</Text>;
  return (
    <Stack gap="xs" data-testid="messages">
      {props.messages.map((m) => (
        <Paper key={m.id} withBorder p="sm" bg={m.direction === 'inbound' ? 'gray.0' : undefined}>
          <Group gap="xs">
            <Badge variant="outline" color={m.direction === 'inbound' ? '#495057' : '#1864ab'}>
              {t(`message.${m.direction}`, { defaultValue: m.direction })}
            </Badge>
            <Text size="xs" c="dimmed">
              {t(`enum.channel.${m.channel}`, { defaultValue: m.channel })} · {f.dateTime(m.createdAt)}
            </Text>
          </Group>
          {m.subject && (
            <Text size="sm" fw={600} dir="auto">
              {m.subject}
            </Text>
          )}
          <Text size="sm" className="pre-wrap" dir="auto">
            {m.body}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}
