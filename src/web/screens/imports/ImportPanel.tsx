import {
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  NativeSelect,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, get, query } from '../../app/api.ts';
import { useFormat, useLanguage, useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';
import { finished, percent, type ImportRun, type Preset, type Rejection } from './model.ts';

const PAGE = 50;

/** Sends the file as the request body (no multipart), reporting upload progress. */
function upload(
  file: File,
  preset: string,
  lang: string,
  onProgress: (share: number) => void,
): Promise<ImportRun> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports${query({ preset, filename: file.name })}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('accept-language', lang);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network' }));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { detail: xhr.responseText };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ImportRun);
      else reject(new ApiError({ ...(body as object), status: xhr.status }));
    };
    xhr.send(file);
  });
}

export function ImportPanel() {
  const t = useT();
  const f = useFormat();
  const { lang } = useLanguage();
  const [presets, setPresets] = useState<Preset[]>([]);
  const [preset, setPreset] = useState('cfpb');
  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [run, setRun] = useState<ImportRun | null>(null);
  const [runs, setRuns] = useState<ImportRun[]>([]);

  const loadRuns = useCallback(async () => {
    try {
      setRuns((await get<{ items: ImportRun[] }>('/api/imports')).items);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  }, []);

  useEffect(() => {
    get<{ items: Preset[] }>('/api/import-presets')
      .then((r) => {
        setPresets(r.items);
        if (r.items.length && !r.items.some((p) => p.name === 'cfpb')) setPreset(r.items[0]!.name);
      })
      .catch(() => setPresets([{ name: 'cfpb', builtin: true, description: '' }]));
    void loadRuns();
  }, [loadRuns]);

  // Follow the run until it is finished.
  useEffect(() => {
    if (!run || finished(run)) return;
    const timer = setTimeout(() => {
      get<ImportRun>(`/api/imports/${run.id}`)
        .then((next) => {
          setRun(next);
          if (finished(next)) void loadRuns();
        })
        .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError({ status: 0 })));
    }, 700);
    return () => clearTimeout(timer);
  }, [run, loadRuns]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!file) {
      setFileError(t('imports.form.fileRequired'));
      return;
    }
    setFileError(null);
    setUploading(0);
    try {
      const started = await upload(file, preset, lang, setUploading);
      setRun(started);
      void loadRuns();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ status: 0 }));
    } finally {
      setUploading(null);
    }
  };

  const share = run ? percent(run) : null;
  const status = run
    ? run.status === 'done'
      ? t('imports.progress.done', { n: run.imported })
      : run.status === 'failed'
        ? t('imports.progress.failed')
        : run.total
          ? t('imports.progress.running', { count: run.processed, total: f.number(run.total) })
          : t('imports.progress.queued')
    : uploading !== null
      ? t('imports.progress.uploading', { n: Math.round(uploading * 100) })
      : '';

  return (
    <Stack gap="lg">
      <Paper withBorder p="md" component="section" aria-labelledby="import-form-title">
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="sm">
            <Title order={3} id="import-form-title" size="h4">
              {t('imports.form.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('imports.form.help')}
            </Text>
            <Group align="end" gap="sm" wrap="wrap">
              <FileInput
                label={t('imports.form.file')}
                placeholder={t('imports.form.filePlaceholder')}
                value={file}
                onChange={setFile}
                accept=".csv,.json,.jsonl,.txt,text/csv,application/json"
                error={fileError}
                required
                w={320}
                data-testid="import-file"
              />
              <NativeSelect
                label={t('imports.form.preset')}
                value={preset}
                onChange={(e) => setPreset(e.currentTarget.value)}
                data={(presets.length ? presets : [{ name: 'cfpb', builtin: true, description: '' }]).map(
                  (p) => ({
                    value: p.name,
                    label: p.description ? `${p.name} — ${p.description}` : p.name,
                  }),
                )}
                w={280}
                data-testid="import-preset"
              />
              <Button type="submit" loading={uploading !== null} data-testid="import-submit">
                {t('imports.form.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>

      {error && (
        <Alert color="red" role="alert" title={t('imports.error')}>
          {problemText(t, error)}
        </Alert>
      )}

      <div aria-live="polite" aria-atomic="true" data-testid="import-status">
        {(run || uploading !== null) && (
          <Stack gap={4}>
            <Text size="sm">{status}</Text>
            {(uploading !== null || (run && !finished(run))) && (
              <Progress
                value={uploading !== null ? uploading * 100 : (share ?? 100)}
                animated={share === null}
                aria-label={t('imports.progress.label')}
              />
            )}
          </Stack>
        )}
      </div>

      {run && finished(run) && <RunResult run={run} />}

      <section aria-labelledby="import-runs-title">
        <Title order={3} size="h4" id="import-runs-title" mb="xs">
          {t('imports.runs.title')}
        </Title>
        {runs.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('imports.runs.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped verticalSpacing="xs" data-testid="import-runs">
              <VisuallyHidden component="caption">{t('imports.runs.title')}</VisuallyHidden>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('imports.runs.file')}</Table.Th>
                  <Table.Th>{t('imports.form.preset')}</Table.Th>
                  <Table.Th>{t('imports.runs.status')}</Table.Th>
                  <Table.Th>{t('imports.runs.started')}</Table.Th>
                  <Table.Th>{t('imports.result.imported')}</Table.Th>
                  <Table.Th>{t('imports.result.rejected')}</Table.Th>
                  <Table.Th>{t('imports.result.duplicates')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('imports.runs.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {runs.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Text size="sm" dir="auto">
                        {r.filename}
                      </Text>
                    </Table.Td>
                    <Table.Td>{r.preset}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={r.status} />
                    </Table.Td>
                    <Table.Td>{f.dateTime(r.startedAt)}</Table.Td>
                    <Table.Td>{f.number(r.imported)}</Table.Td>
                    <Table.Td>{f.number(r.rejected)}</Table.Td>
                    <Table.Td>{f.number(r.duplicates)}</Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        onClick={() => setRun(r)}
                        aria-label={`${t('imports.runs.show')}: ${r.filename}`}
                      >
                        {t('imports.runs.show')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </section>
    </Stack>
  );
}

function StatusBadge(props: { status: ImportRun['status'] }) {
  const t = useT();
  const color = { queued: 'gray.7', running: 'blue.9', done: 'teal.9', failed: 'red.9' }[props.status];
  return (
    <Badge color={color} variant="filled" autoContrast>
      {t(`imports.status.${props.status}`)}
    </Badge>
  );
}

function RunResult(props: { run: ImportRun }) {
  const t = useT();
  const f = useFormat();
  const { run } = props;
  const [rejections, setRejections] = useState<Rejection[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(
    async (offset: number) => {
      try {
        const page = await get<{ total: number; items: Rejection[] }>(
          `/api/imports/${run.id}/rejections${query({ offset, limit: PAGE })}`,
        );
        setTotal(page.total);
        setRejections((prev) => (offset ? [...prev, ...page.items] : page.items));
      } catch (e) {
        setError(e instanceof ApiError ? e : new ApiError({ status: 0 }));
      }
    },
    [run.id],
  );
  useEffect(() => {
    setRejections([]);
    if (run.rejected > 0) void load(0);
  }, [run.id, run.rejected, load]);

  const stats: Array<[string, string]> = [
    ['imported', f.number(run.imported)],
    ['rejected', f.number(run.rejected)],
    ['duplicates', f.number(run.duplicates)],
    ['seconds', run.seconds === null ? '—' : f.number(Math.round(run.seconds * 10) / 10)],
  ];
  return (
    <Paper
      withBorder
      p="md"
      component="section"
      aria-labelledby="import-result-title"
      data-testid="import-result"
    >
      <Stack gap="sm">
        <Title order={3} size="h4" id="import-result-title">
          {t('imports.result.title', { name: run.filename })}
        </Title>
        {run.error && (
          <Alert color="red" role="alert">
            {run.error}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {stats.map(([key, value]) => (
            <div key={key} data-testid={`result-${key}`}>
              <Text size="xs" c="dimmed">
                {t(`imports.result.${key}`)}
              </Text>
              <Text size="xl" fw={700}>
                {value}
              </Text>
            </div>
          ))}
        </SimpleGrid>
        {error && (
          <Alert color="red" role="alert">
            {problemText(t, error)}
          </Alert>
        )}
        {run.rejected > 0 && (
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={4} size="h5">
                {t('imports.rejections.title', { count: total || run.rejected })}
              </Title>
              <Button
                component="a"
                href={`/api/imports/${run.id}/rejections.csv`}
                download
                variant="default"
                size="xs"
                data-testid="rejections-csv"
              >
                {t('imports.rejections.download')}
              </Button>
            </Group>
            <Table.ScrollContainer minWidth={480}>
              <Table striped verticalSpacing={4} data-testid="rejections">
                <VisuallyHidden component="caption">{t('imports.rejections.caption')}</VisuallyHidden>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('imports.rejections.line')}</Table.Th>
                    <Table.Th>{t('imports.rejections.sourceId')}</Table.Th>
                    <Table.Th>{t('imports.rejections.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rejections.map((r) => (
                    <Table.Tr key={`${r.line}-${r.sourceId ?? ''}`}>
                      <Table.Td>{f.number(r.line)}</Table.Td>
                      <Table.Td className="ltr-run">{r.sourceId ?? '—'}</Table.Td>
                      <Table.Td>
                        <Text size="sm" dir="auto">
                          {r.reason}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {rejections.length < total && (
              <Button variant="light" size="xs" onClick={() => void load(rejections.length)}>
                {t('imports.rejections.more')}
              </Button>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
