import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { query } from '../../app/api.ts';
import { categoryOptions, useCatalogue, useStaff } from '../../app/data.ts';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { useFormat, useLanguage, useT } from '../../i18n/i18n.tsx';
import { Facts } from '../../ui/Facts.tsx';
import { rootCauseOptions, useRootCauses } from './rootCauses.ts';
import { canEditImprovement, ProblemAlert, StatusBadge, useResource } from './shared.tsx';

const statuses = ['open', 'in_progress', 'done', 'verified_effective', 'ineffective', 'cancelled'] as const;

interface Capa {
  id: string;
  ref: string;
  title: string;
  description: string;
  kind: 'corrective' | 'preventive';
  rootCause: { key: string; label: string } | null;
  category: { key: string; name: string } | null;
  product: { key: string; name: string } | null;
  owner: { id: string; name: string } | null;
  dueOn: string | null;
  status: string;
  overdue: boolean;
  doneAt: string | null;
  verifiedAt: string | null;
  verifiedBy: { id: string; name: string } | null;
  windowDays: number;
  minDrop: number;
  version: number;
  complaintCount: number;
  allowedStatuses: string[];
}
interface CapaDetail extends Capa {
  complaints: Array<{
    reference: string;
    state: string;
    category: { name: string } | null;
    rootCause: { label: string } | null;
    receivedAt: string;
  }>;
  systemicIssues: Array<{ ref: string; label: string; status: string }>;
  effectiveness: {
    verdict: string;
    beforeRate: number;
    afterRate: number | null;
    change: number | null;
    elapsedDays: number;
    windowEndsAt: string;
  } | null;
  history: Array<{ at: string; action: string; actor: string; data: Record<string, unknown> }>;
}

/** Corrective and preventive actions: the list, a form to raise one, and the selected action in detail. */
export function CapaTab() {
  const t = useT();
  const f = useFormat();
  const { lang } = useLanguage();
  const { me } = useSession();
  const loc = useLocation();
  const selected = loc.search.get('ref');
  const creating = loc.search.get('new') === '1';
  const [status, setStatus] = useState('');
  const [overdue, setOverdue] = useState(false);
  const list = useResource<{ items: Capa[] }>(
    `/api/improvement/capa${query({ status, overdue: overdue ? 'true' : undefined, lang })}`,
  );
  const items = list.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between" align="end" wrap="wrap">
        <Group align="end" gap="sm">
          <NativeSelect
            label={t('improvement.field.status')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value)}
            data={[
              { value: '', label: t('improvement.all') },
              ...statuses.map((s) => ({ value: s, label: t(`improvement.status.${s}`) })),
            ]}
          />
          <Checkbox
            label={t('improvement.capa.overdueOnly')}
            checked={overdue}
            onChange={(e) => setOverdue(e.currentTarget.checked)}
            mb={8}
          />
        </Group>
        {canEditImprovement(me.role) && !creating && (
          <Button onClick={() => navigate('/improvement/capa?new=1')} data-testid="new-capa">
            {t('improvement.capa.new')}
          </Button>
        )}
      </Group>
      <ProblemAlert error={list.error} />
      {creating && (
        <CapaForm
          search={loc.search}
          onDone={(ref) => (
            void list.reload(),
            navigate(ref ? `/improvement/capa?ref=${ref}` : '/improvement/capa')
          )}
        />
      )}
      <Table fz="sm" data-testid="capa-list" captionSide="top" striped highlightOnHover>
        <Table.Caption>{t('improvement.capa.caption', { count: items.length })}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('improvement.field.ref')}</Table.Th>
            <Table.Th>{t('improvement.field.title')}</Table.Th>
            <Table.Th>{t('improvement.field.kind')}</Table.Th>
            <Table.Th>{t('improvement.field.status')}</Table.Th>
            <Table.Th>{t('improvement.field.owner')}</Table.Th>
            <Table.Th>{t('improvement.field.dueOn')}</Table.Th>
            <Table.Th>{t('improvement.field.complaints')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr
              key={c.id}
              data-testid="capa-row"
              aria-current={c.ref === selected ? 'true' : undefined}
            >
              <Table.Td className="ltr-run">
                <Link to={`/improvement/capa?ref=${c.ref}`}>{c.ref}</Link>
              </Table.Td>
              <Table.Td dir="auto">{c.title}</Table.Td>
              <Table.Td>{t(`improvement.kind.${c.kind}`)}</Table.Td>
              <Table.Td>
                <StatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>{c.owner?.name ?? '—'}</Table.Td>
              <Table.Td>
                {f.date(c.dueOn) || '—'}{' '}
                {c.overdue && (
                  <Badge color="#a51d1d" autoContrast>
                    {t('improvement.capa.overdue')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{c.complaintCount}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {selected && (
        <CapaDetailCard key={selected} reference={selected} onChanged={() => void list.reload()} />
      )}
    </Stack>
  );
}

/** Raise an action; prefilled from the address (from a recurring problem or a systemic issue). */
function CapaForm(props: { search: URLSearchParams; onDone: (ref: string | null) => void }) {
  const t = useT();
  const catalogue = useCatalogue();
  const staff = useStaff();
  const rootCauses = useRootCauses();
  const s = props.search;
  const [v, setV] = useState({
    title: s.get('title') ?? '',
    description: '',
    kind: 'corrective',
    rootCause: s.get('rootCause') ?? '',
    category: s.get('category') ?? '',
    product: s.get('product') ?? '',
    ownerId: '',
    dueOn: '',
    complaints: s.get('complaints') ?? '',
  });
  const issue = s.get('issue');
  const res = useResource<never>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      title: v.title,
      kind: v.kind,
      ...(v.description ? { description: v.description } : {}),
      ...(v.rootCause ? { rootCause: v.rootCause } : {}),
      ...(v.category ? { category: v.category } : {}),
      ...(v.product ? { product: v.product } : {}),
      ...(v.ownerId ? { ownerId: v.ownerId } : {}),
      ...(v.dueOn ? { dueOn: v.dueOn } : {}),
      ...(issue ? { systemicIssue: issue } : {}),
      complaints: v.complaints.split(/[\s,;]+/).filter(Boolean),
    };
    const out = await res.run<{ ref: string }>('POST', '/api/improvement/capa', body);
    if (out) props.onDone(out.ref);
  };
  const fe = res.fieldErrors;
  return (
    <Paper
      withBorder
      p="md"
      component="form"
      onSubmit={(e: FormEvent) => void submit(e)}
      data-testid="capa-form"
      aria-labelledby="capa-form-title"
    >
      <Title order={3} size="h4" mb="sm" id="capa-form-title">
        {issue ? t('improvement.capa.newForIssue', { reference: issue }) : t('improvement.capa.new')}
      </Title>
      <ProblemAlert error={res.error} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('improvement.field.title')}
          required
          value={v.title}
          onChange={(e) => setV({ ...v, title: e.currentTarget.value })}
          error={fe.title}
          dir="auto"
          name="title"
        />
        <NativeSelect
          label={t('improvement.field.kind')}
          required
          value={v.kind}
          onChange={(e) => setV({ ...v, kind: e.currentTarget.value })}
          data={['corrective', 'preventive'].map((k) => ({ value: k, label: t(`improvement.kind.${k}`) }))}
          name="kind"
        />
        <NativeSelect
          label={t('improvement.field.rootCause')}
          value={v.rootCause}
          onChange={(e) => setV({ ...v, rootCause: e.currentTarget.value })}
          error={fe.rootCause}
          data={[{ value: '', label: t('improvement.none') }, ...rootCauseOptions(rootCauses, v.rootCause)]}
          name="rootCause"
        />
        <NativeSelect
          label={t('improvement.field.category')}
          value={v.category}
          onChange={(e) => setV({ ...v, category: e.currentTarget.value })}
          error={fe.category}
          data={[{ value: '', label: t('improvement.none') }, ...categoryOptions(catalogue)]}
          name="category"
        />
        <NativeSelect
          label={t('improvement.field.product')}
          value={v.product}
          onChange={(e) => setV({ ...v, product: e.currentTarget.value })}
          error={fe.product}
          data={[
            { value: '', label: t('improvement.none') },
            ...(catalogue?.products ?? []).map((p) => ({ value: p.key, label: p.name })),
          ]}
          name="product"
        />
        <NativeSelect
          label={t('improvement.field.owner')}
          value={v.ownerId}
          onChange={(e) => setV({ ...v, ownerId: e.currentTarget.value })}
          error={fe.ownerId}
          data={[
            { value: '', label: t('improvement.none') },
            ...staff
              .filter((x) => x.active)
              .map((x) => ({ value: x.id, label: `${x.name} · ${t(`role.${x.role}`)}` })),
          ]}
          name="ownerId"
        />
        <TextInput
          type="date"
          label={t('improvement.field.dueOn')}
          value={v.dueOn}
          onChange={(e) => setV({ ...v, dueOn: e.currentTarget.value })}
          error={fe.dueOn}
          name="dueOn"
        />
        <TextInput
          label={t('improvement.field.complaints')}
          description={t('improvement.capa.complaintsHint')}
          value={v.complaints}
          onChange={(e) => setV({ ...v, complaints: e.currentTarget.value })}
          error={fe.complaints}
          dir="ltr"
          name="complaints"
        />
      </SimpleGrid>
      <Textarea
        mt="sm"
        label={t('improvement.field.description')}
        autosize
        minRows={3}
        value={v.description}
        onChange={(e) => setV({ ...v, description: e.currentTarget.value })}
        error={fe.description}
        dir="auto"
        name="description"
      />
      <Group mt="sm" justify="flex-end">
        <Button variant="default" onClick={() => props.onDone(null)}>
          {t('form.cancel')}
        </Button>
        <Button type="submit" loading={res.busy} data-testid="save-capa">
          {t('improvement.capa.create')}
        </Button>
      </Group>
    </Paper>
  );
}

function CapaDetailCard(props: { reference: string; onChanged: () => void }) {
  const t = useT();
  const f = useFormat();
  const { lang } = useLanguage();
  const { me } = useSession();
  const staff = useStaff();
  const d = useResource<CapaDetail>(
    `/api/improvement/capa/${encodeURIComponent(props.reference)}?lang=${lang}`,
  );
  const c = d.data;
  const [edit, setEdit] = useState({ status: '', ownerId: '', dueOn: '' });
  const [link, setLink] = useState('');
  useEffect(() => {
    if (c) setEdit({ status: c.status, ownerId: c.owner?.id ?? '', dueOn: c.dueOn ?? '' });
  }, [c]);
  if (!c) return <ProblemAlert error={d.error} />;
  const manage = canEditImprovement(me.role);
  const owner = c.owner?.id === me.id;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    if (edit.status !== c.status) body.status = edit.status;
    if (manage && edit.ownerId !== (c.owner?.id ?? '')) body.ownerId = edit.ownerId || null;
    if (manage && edit.dueOn !== (c.dueOn ?? '')) body.dueOn = edit.dueOn || null;
    if (Object.keys(body).length === 0) return;
    if (await d.run('PATCH', `/api/improvement/capa/${c.ref}`, body, { 'if-match': `"${c.version}"` }))
      props.onChanged();
  };
  const addLink = async (e: FormEvent) => {
    e.preventDefault();
    if (
      link.trim() &&
      (await d.run('POST', `/api/improvement/capa/${c.ref}/complaints`, { reference: link.trim() }))
    ) {
      setLink('');
      props.onChanged();
    }
  };
  const eff = c.effectiveness;
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return (
    <Card
      withBorder
      padding="md"
      component="section"
      aria-labelledby="capa-detail-title"
      data-testid="capa-detail"
    >
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4" id="capa-detail-title">
            <span className="ltr-run">{c.ref}</span> · <span dir="auto">{c.title}</span>
          </Title>
          <Group gap="xs">
            <StatusBadge status={c.status} />
            {c.overdue && (
              <Badge color="#a51d1d" autoContrast>
                {t('improvement.capa.overdue')}
              </Badge>
            )}
          </Group>
        </Group>
        <ProblemAlert error={d.error} />
        {c.description && (
          <Text size="sm" dir="auto" className="pre-wrap">
            {c.description}
          </Text>
        )}
        <Facts
          cols={3}
          items={[
            [t('improvement.field.kind'), t(`improvement.kind.${c.kind}`)],
            [t('improvement.field.rootCause'), c.rootCause?.label],
            [t('improvement.field.category'), c.category?.name],
            [t('improvement.field.product'), c.product?.name],
            [t('improvement.field.owner'), c.owner?.name],
            [t('improvement.field.dueOn'), f.date(c.dueOn)],
            [t('improvement.capa.doneAt'), f.dateTime(c.doneAt)],
            [
              t('improvement.capa.verifiedAt'),
              c.verifiedAt ? `${f.dateTime(c.verifiedAt)} · ${c.verifiedBy?.name ?? ''}` : null,
            ],
            [
              t('improvement.capa.issues'),
              c.systemicIssues.length ? c.systemicIssues.map((i) => i.ref).join(', ') : null,
            ],
          ]}
        />
        {(manage || owner) && (
          <Paper
            withBorder
            p="sm"
            component="form"
            onSubmit={(e: FormEvent) => void save(e)}
            data-testid="capa-edit"
          >
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <NativeSelect
                label={t('improvement.field.status')}
                value={edit.status}
                onChange={(e) => setEdit({ ...edit, status: e.currentTarget.value })}
                data={[c.status, ...c.allowedStatuses].map((s) => ({
                  value: s,
                  label: t(`improvement.status.${s}`),
                }))}
                name="status"
              />
              {manage && (
                <NativeSelect
                  label={t('improvement.field.owner')}
                  value={edit.ownerId}
                  onChange={(e) => setEdit({ ...edit, ownerId: e.currentTarget.value })}
                  data={[
                    { value: '', label: t('improvement.none') },
                    ...staff
                      .filter((x) => x.active || x.id === edit.ownerId)
                      .map((x) => ({ value: x.id, label: `${x.name} · ${t(`role.${x.role}`)}` })),
                  ]}
                  name="ownerId"
                />
              )}
              {manage && (
                <TextInput
                  type="date"
                  label={t('improvement.field.dueOn')}
                  value={edit.dueOn}
                  onChange={(e) => setEdit({ ...edit, dueOn: e.currentTarget.value })}
                  name="dueOn"
                />
              )}
            </SimpleGrid>
            <Group mt="sm" justify="flex-end">
              <Button type="submit" loading={d.busy} data-testid="save-capa-changes">
                {t('common.save')}
              </Button>
            </Group>
          </Paper>
        )}
        <section aria-labelledby="capa-eff-title">
          <Title order={4} size="h5" id="capa-eff-title">
            {t('improvement.effect.title')}
          </Title>
          {eff ? (
            <Stack gap={4} data-testid="effectiveness" data-verdict={eff.verdict}>
              <Text size="sm" fw={600}>
                {t(`improvement.effect.${eff.verdict}`)}
              </Text>
              <Text size="sm">
                {t('improvement.effect.before', { count: c.windowDays, name: f.number(eff.beforeRate) })}
              </Text>
              <Text size="sm">
                {t('improvement.effect.after', {
                  name: eff.afterRate === null ? '—' : f.number(eff.afterRate),
                })}
                {eff.change !== null && ` (${eff.change > 0 ? '+' : ''}${pct(eff.change)})`}
              </Text>
              <Text size="sm" c="dimmed">
                {t('improvement.effect.rule', { name: pct(c.minDrop), when: f.date(eff.windowEndsAt) })}
              </Text>
            </Stack>
          ) : (
            <Text size="sm">{t('improvement.effect.notDone')}</Text>
          )}
        </section>
        <section aria-labelledby="capa-complaints-title">
          <Title order={4} size="h5" id="capa-complaints-title">
            {t('improvement.field.complaints')} ({c.complaints.length})
          </Title>
          <Table fz="sm" data-testid="capa-complaints">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('improvement.field.reference')}</Table.Th>
                <Table.Th>{t('improvement.field.state')}</Table.Th>
                <Table.Th>{t('improvement.field.category')}</Table.Th>
                <Table.Th>{t('improvement.field.rootCause')}</Table.Th>
                <Table.Th>{t('improvement.field.receivedAt')}</Table.Th>
                {manage && <Table.Th>{t('improvement.capa.unlinkHead')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.complaints.map((x) => (
                <Table.Tr key={x.reference}>
                  <Table.Td className="ltr-run">
                    <Link to={`/complaints/${x.reference}`}>{x.reference}</Link>
                  </Table.Td>
                  <Table.Td>{t(`state.${x.state}`)}</Table.Td>
                  <Table.Td>{x.category?.name ?? '—'}</Table.Td>
                  <Table.Td>{x.rootCause?.label ?? '—'}</Table.Td>
                  <Table.Td>{f.date(x.receivedAt)}</Table.Td>
                  {manage && (
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red.9"
                        aria-label={t('improvement.capa.unlink', { reference: x.reference })}
                        onClick={() =>
                          void d
                            .run('DELETE', `/api/improvement/capa/${c.ref}/complaints/${x.reference}`)
                            .then(props.onChanged)
                        }
                      >
                        ×
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {(manage || owner) && (
            <Group component="form" onSubmit={(e: FormEvent) => void addLink(e)} align="end" gap="xs" mt="xs">
              <TextInput
                label={t('improvement.capa.linkLabel')}
                placeholder="7K4M-9QX2"
                value={link}
                onChange={(e) => setLink(e.currentTarget.value)}
                dir="ltr"
                data-testid="link-complaint"
              />
              <Button type="submit" variant="light" loading={d.busy}>
                {t('improvement.capa.link')}
              </Button>
            </Group>
          )}
        </section>
        <section aria-labelledby="capa-history-title">
          <Title order={4} size="h5" id="capa-history-title">
            {t('improvement.history')}
          </Title>
          <List size="sm" spacing={2}>
            {c.history.map((h, i) => (
              <List.Item key={i}>
                {f.dateTime(h.at)} · {h.actor} ·{' '}
                {t(`improvement.event.${h.action}`, { defaultValue: h.action })}
                {typeof h.data.status === 'string' ? ` → ${t(`improvement.status.${h.data.status}`)}` : ''}
                {typeof h.data.complaint === 'string' ? ` ${h.data.complaint}` : ''}
              </List.Item>
            ))}
          </List>
        </section>
        <Anchor component={Link} to="/improvement/capa" size="sm">
          {t('improvement.capa.closeDetail')}
        </Anchor>
      </Stack>
    </Card>
  );
}
