import { Alert, Anchor, Badge, Grid, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, get } from '../../app/api.ts';
import { Link } from '../../app/router.tsx';
import type { Complaint } from '../../app/types.ts';
import { useT } from '../../i18n/i18n.tsx';
import { priorityColor, StateBadge } from '../../ui/badges.tsx';
import { problemText } from '../../ui/problems.ts';
import { ActionBar } from './ActionBar.tsx';
import { Attachments, ComplainantCard, Deadlines, Details, Related, ResponseCard } from './sections.tsx';
import { Messages, Notes, Tasks, Timeline } from './activity.tsx';

/** Everything about one complaint on one screen, and exactly the actions this user may take now (WORK-2). */
export default function ComplaintScreen(props: { reference: string }) {
  const t = useT();
  const [complaint, setComplaint] = useState<Complaint | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    try {
      setComplaint(await get<Complaint>(`/api/complaints/${encodeURIComponent(props.reference)}`));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0 }));
    }
  }, [props.reference]);
  useEffect(() => void load(), [load]);

  if (error && !complaint) {
    return (
      <Stack>
        <Title order={2} className="ltr-run">
          {props.reference}
        </Title>
        <Alert color="red" role="alert">
          {error.status === 404 ? t('complaint.notFound') : problemText(t, error)}
        </Alert>
      </Stack>
    );
  }
  if (!complaint) return <Loader aria-label={t('common.loading')} />;
  const c = complaint;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="start">
        <Stack gap={4}>
          <Text size="sm">
            <Anchor component={Link} to="/" c="blue.8">
              {t('complaint.back')}
            </Anchor>
          </Text>
          <Group gap="sm">
            <Title order={2}>
              {t(`enum.type.${c.type}`)} <span className="ltr-run">{c.reference}</span>
            </Title>
            <StateBadge state={c.state} />
            {c.priority && (
              <Badge color={priorityColor(c.priority)} autoContrast>
                {t('complaint.priorityBadge', { priority: t(`enum.priority.${c.priority}`) })}
              </Badge>
            )}
            {c.aboutStaff && (
              <Badge color="red.9" variant="outline">
                {t('complaint.aboutStaff')}
              </Badge>
            )}
            {c.approvalRequired && !c.approvedBy && (
              <Badge color="grape.9" variant="outline" data-testid="approval-required">
                {t('complaint.approvalRequired')}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t('complaint.ownerLine', {
              owner: c.owner?.name ?? t('complaint.noOwner'),
              team: c.team?.name ?? t('complaint.noTeam'),
            })}
          </Text>
        </Stack>
      </Group>
      <ActionBar complaint={c} onChanged={() => void load()} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <Details c={c} onChanged={() => void load()} />
            {c.response && <ResponseCard c={c} />}
            <Tabs defaultValue="history" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="history">
                  {t('complaint.tab.history', { count: c.history?.length ?? 0 })}
                </Tabs.Tab>
                <Tabs.Tab value="notes">{t('complaint.tab.notes', { count: c.notes?.length ?? 0 })}</Tabs.Tab>
                <Tabs.Tab value="tasks">{t('complaint.tab.tasks', { count: c.tasks?.length ?? 0 })}</Tabs.Tab>
                <Tabs.Tab value="messages">
                  {t('complaint.tab.messages', { count: c.messages?.length ?? 0 })}
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="history" pt="sm">
                <Timeline events={c.history ?? []} />
              </Tabs.Panel>
              <Tabs.Panel value="notes" pt="sm">
                <Notes notes={c.notes ?? []} />
              </Tabs.Panel>
              <Tabs.Panel value="tasks" pt="sm">
                <Tasks tasks={c.tasks ?? []} />
              </Tabs.Panel>
              <Tabs.Panel value="messages" pt="sm">
                <Messages messages={c.messages ?? []} />
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <ComplainantCard c={c} />
            <Deadlines c={c} />
            <Related c={c} />
            <Attachments c={c} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
