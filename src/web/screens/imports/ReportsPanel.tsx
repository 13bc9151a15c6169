import {
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, del, get, post, put } from '../../app/api.ts';
import { languages, languageNames, useFormat, useLanguage, useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';
import {
  browserZone,
  frequencies,
  parseRecipients,
  reportFormats,
  reportKinds,
  type Schedule,
} from './model.ts';

interface Draft {
  name: string;
  kind: Schedule['kind'];
  format: Schedule['format'];
  frequency: Schedule['frequency'];
  timeOfDay: string;
  weekday: string;
  dayOfMonth: string;
  timeZone: string;
  recipients: string;
  language: string;
}

const toBody = (s: Schedule, active: boolean) => ({
  name: s.name,
  kind: s.kind,
  format: s.format,
  recipients: s.recipients,
  frequency: s.frequency,
  timeOfDay: s.timeOfDay,
  weekday: s.weekday,
  dayOfMonth: s.dayOfMonth,
  timeZone: s.timeZone,
  language: s.language,
  active,
});

/** Scheduled reports: the list (pause, resume, run now, delete) and a form to create one. */
export function ReportsPanel() {
  const t = useT();
  const f = useFormat();
  const [items, setItems] = useState<Schedule[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems((await get<{ items: Schedule[] }>('/api/reports/schedules')).items);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0 }));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const act = async (what: () => Promise<unknown>, message: string) => {
    setError(null);
    try {
      await what();
      setNotice(message);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError({ status: 0 }));
    }
  };

  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed">
        {t('imports.reports.help')}
      </Text>
      {error && (
        <Alert color="red" role="alert">
          {problemText(t, error)}
        </Alert>
      )}
      <div aria-live="polite" aria-atomic="true" data-testid="reports-notice">
        {notice && <Text size="sm">{notice}</Text>}
      </div>
      <section aria-labelledby="schedules-title">
        <Title order={3} size="h4" id="schedules-title" mb="xs">
          {t('imports.reports.listTitle')}
        </Title>
        {items === null ? null : items.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('imports.reports.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table striped verticalSpacing="xs" data-testid="schedules">
              <VisuallyHidden component="caption">{t('imports.reports.listTitle')}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('imports.reports.name')}</Table.Th>
                  <Table.Th>{t('imports.reports.kind')}</Table.Th>
                  <Table.Th>{t('imports.reports.frequency')}</Table.Th>
                  <Table.Th>{t('imports.reports.recipients')}</Table.Th>
                  <Table.Th>{t('imports.reports.nextRun')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('imports.runs.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((s) => (
                  <Table.Tr key={s.id} data-schedule={s.name}>
                    <Table.Td>
                      <Text size="sm" dir="auto">
                        {s.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {t(`imports.kind.${s.kind}`)} · {s.format === 'csv' ? 'CSV' : 'Excel'}
                    </Table.Td>
                    <Table.Td>{t(`imports.frequency.${s.frequency}`)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" className="ltr-run">
                        {s.recipients.join(', ')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {s.active ? (
                        f.dateTime(s.nextRunAt)
                      ) : (
                        <Badge color="gray.7" variant="filled" autoContrast>
                          {t('imports.reports.paused')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="compact-sm"
                          variant="light"
                          onClick={() =>
                            void act(
                              () => post(`/api/reports/schedules/${s.id}/run`),
                              t('imports.reports.sent', { name: s.name }),
                            )
                          }
                          aria-label={`${t('imports.reports.runNow')}: ${s.name}`}
                          data-testid="run-now"
                        >
                          {t('imports.reports.runNow')}
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="default"
                          onClick={() =>
                            void act(
                              () => put(`/api/reports/schedules/${s.id}`, toBody(s, !s.active)),
                              t(s.active ? 'imports.reports.pausedOne' : 'imports.reports.resumedOne', {
                                name: s.name,
                              }),
                            )
                          }
                          aria-label={`${t(s.active ? 'imports.reports.pause' : 'imports.reports.resume')}: ${s.name}`}
                        >
                          {t(s.active ? 'imports.reports.pause' : 'imports.reports.resume')}
                        </Button>
                        {confirming === s.id ? (
                          <Button
                            size="compact-sm"
                            color="red"
                            autoFocus
                            onClick={() => {
                              setConfirming(null);
                              void act(
                                () => del(`/api/reports/schedules/${s.id}`),
                                t('imports.reports.deletedOne', { name: s.name }),
                              );
                            }}
                            onBlur={() => setConfirming(null)}
                          >
                            {t('imports.reports.confirmDelete')}
                          </Button>
                        ) : (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            color="red"
                            onClick={() => setConfirming(s.id)}
                            aria-label={`${t('imports.reports.delete')}: ${s.name}`}
                          >
                            {t('imports.reports.delete')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
      <CreateSchedule
        onCreated={(s) => {
          setNotice(t('imports.reports.created', { name: s.name }));
          void load();
        }}
      />
    </Stack>
  );
}

function CreateSchedule(props: { onCreated: (s: Schedule) => void }) {
  const t = useT();
  const { lang } = useLanguage();
  const blank = (): Draft => ({
    name: '',
    kind: 'complaints',
    format: 'xlsx',
    frequency: 'weekly',
    timeOfDay: '07:00',
    weekday: '1',
    dayOfMonth: '1',
    timeZone: browserZone(),
    recipients: '',
    language: lang,
  });
  const [d, setD] = useState<Draft>(blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const { good, bad } = parseRecipients(d.recipients);
    const local: Record<string, string> = {};
    if (!d.name.trim()) local.name = t('imports.reports.nameRequired');
    if (bad.length) local.recipients = t('imports.reports.badRecipients', { list: bad.join(', ') });
    else if (good.length === 0) local.recipients = t('imports.reports.recipientsRequired');
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const created = await post<Schedule>('/api/reports/schedules', {
        name: d.name.trim(),
        kind: d.kind,
        format: d.format,
        recipients: good,
        frequency: d.frequency,
        timeOfDay: d.timeOfDay,
        weekday: Number(d.weekday),
        dayOfMonth: Number(d.dayOfMonth),
        timeZone: d.timeZone.trim() || undefined,
        language: d.language,
      });
      setD(blank());
      props.onCreated(created);
    } catch (err) {
      if (err instanceof ApiError) {
        const fields = err.fieldErrors();
        const mapped: Record<string, string> = {};
        for (const [k, v] of Object.entries(fields)) mapped[k.split('.')[0]!] = v;
        setErrors(mapped);
        setError(err);
      } else setError(new ApiError({ status: 0 }));
    } finally {
      setBusy(false);
    }
  };

  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((n) => ({
    value: String(n),
    // 2024-01-01 was a Monday
    label: new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, n)),
    ),
  }));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="schedule-form-title">
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="schedule-form">
        <Stack gap="sm">
          <Title order={3} size="h4" id="schedule-form-title">
            {t('imports.reports.createTitle')}
          </Title>
          {error && (
            <Alert color="red" role="alert">
              {problemText(t, error)}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <TextInput
              label={t('imports.reports.name')}
              value={d.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={errors.name}
              required
              maxLength={120}
              data-testid="schedule-name"
            />
            <NativeSelect
              label={t('imports.reports.kind')}
              value={d.kind}
              onChange={(e) => set('kind', e.currentTarget.value as Draft['kind'])}
              data={reportKinds.map((k) => ({ value: k, label: t(`imports.kind.${k}`) }))}
              error={errors.kind}
              data-testid="schedule-kind"
            />
            <NativeSelect
              label={t('imports.reports.format')}
              value={d.format}
              onChange={(e) => set('format', e.currentTarget.value as Draft['format'])}
              data={reportFormats.map((k) => ({ value: k, label: k === 'csv' ? 'CSV' : 'Excel (.xlsx)' }))}
              data-testid="schedule-format"
            />
            <NativeSelect
              label={t('imports.reports.frequency')}
              value={d.frequency}
              onChange={(e) => set('frequency', e.currentTarget.value as Draft['frequency'])}
              data={frequencies.map((k) => ({ value: k, label: t(`imports.frequency.${k}`) }))}
              data-testid="schedule-frequency"
            />
            {d.frequency === 'weekly' && (
              <NativeSelect
                label={t('imports.reports.weekday')}
                value={d.weekday}
                onChange={(e) => set('weekday', e.currentTarget.value)}
                data={weekdays}
              />
            )}
            {d.frequency === 'monthly' && (
              <NativeSelect
                label={t('imports.reports.dayOfMonth')}
                value={d.dayOfMonth}
                onChange={(e) => set('dayOfMonth', e.currentTarget.value)}
                data={Array.from({ length: 28 }, (_, i) => String(i + 1))}
              />
            )}
            <TextInput
              type="time"
              label={t('imports.reports.timeOfDay')}
              value={d.timeOfDay}
              onChange={(e) => set('timeOfDay', e.currentTarget.value)}
              error={errors.timeOfDay}
              required
            />
            <TextInput
              label={t('imports.reports.timeZone')}
              description={t('imports.reports.timeZoneHelp')}
              value={d.timeZone}
              onChange={(e) => set('timeZone', e.currentTarget.value)}
              error={errors.timeZone}
              dir="ltr"
            />
            <NativeSelect
              label={t('imports.reports.language')}
              value={d.language}
              onChange={(e) => set('language', e.currentTarget.value)}
              data={languages.map((l) => ({ value: l, label: languageNames[l] }))}
            />
          </SimpleGrid>
          <Textarea
            label={t('imports.reports.recipients')}
            description={t('imports.reports.recipientsHelp')}
            value={d.recipients}
            onChange={(e) => set('recipients', e.currentTarget.value)}
            error={errors.recipients}
            required
            autosize
            minRows={2}
            dir="ltr"
            data-testid="schedule-recipients"
          />
          <Group>
            <Button type="submit" loading={busy} data-testid="schedule-submit">
              {t('imports.reports.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
