import {
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
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { query } from '../../app/api.ts';
import { useCatalogue, useStaff } from '../../app/data.ts';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { useSession } from '../../app/session.tsx';
import { useFormat, useT } from '../../i18n/i18n.tsx';
import { Facts } from '../../ui/Facts.tsx';
import { canConfigure, canEditImprovement, ProblemAlert, StatusBadge, useResource } from './shared.tsx';

interface Issue {
  id: string;
  ref: string;
  label: string;
  status: string;
  complaintCount: number;
  firstAt: string;
  lastAt: string;
  raisedAt: string;
  owner: { id: string; name: string } | null;
  team: { key: string; name: string } | null;
  capa: { ref: string; status: string } | null;
  rule: { id: string; name: string; dimension: string };
}
interface IssueDetail extends Issue {
  complaints: Array<{ reference: string; state: string; language: string; receivedAt: string }>;
  history: Array<{ at: string; action: string; actor: string }>;
}
interface Rule {
  id: string;
  name: string;
  dimension: string;
  threshold: number;
  windowDays: number;
  minSimilarity: number;
  owner: { id: string; name: string } | null;
  team: string | null;
  active: boolean;
}

const next: Record<string, string[]> = {
  open: ['investigating', 'closed'],
  investigating: ['open', 'closed'],
  closed: [],
};

/** Systemic issues raised by the rules, one in detail, and the rules themselves. */
export function SystemicTab() {
  const t = useT();
  const f = useFormat();
  const loc = useLocation();
  const { me } = useSession();
  const selected = loc.search.get('ref');
  const [status, setStatus] = useState('');
  const list = useResource<{ items: Issue[] }>(`/api/improvement/systemic-issues${query({ status })}`);
  return (
    <Stack>
      <Text size="sm">{t('improvement.systemic.intro')}</Text>
      <NativeSelect
        w={240}
        label={t('improvement.field.status')}
        value={status}
        onChange={(e) => setStatus(e.currentTarget.value)}
        data={[
          { value: '', label: t('improvement.all') },
          ...['open', 'investigating', 'closed'].map((s) => ({
            value: s,
            label: t(`improvement.status.${s}`),
          })),
        ]}
      />
      <ProblemAlert error={list.error} />
      <Table fz="sm" data-testid="issues" captionSide="top" striped>
        <Table.Caption>
          {t('improvement.systemic.caption', { count: list.data?.items.length ?? 0 })}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('improvement.field.ref')}</Table.Th>
            <Table.Th>{t('improvement.field.issue')}</Table.Th>
            <Table.Th>{t('improvement.field.status')}</Table.Th>
            <Table.Th>{t('improvement.field.complaints')}</Table.Th>
            <Table.Th>{t('improvement.field.owner')}</Table.Th>
            <Table.Th>{t('improvement.systemic.raisedAt')}</Table.Th>
            <Table.Th>{t('improvement.systemic.action')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data?.items ?? []).map((i) => (
            <Table.Tr key={i.id} aria-current={i.ref === selected ? 'true' : undefined}>
              <Table.Td className="ltr-run">
                <Link to={`/improvement/systemic?ref=${i.ref}`}>{i.ref}</Link>
              </Table.Td>
              <Table.Td dir="auto">{i.label}</Table.Td>
              <Table.Td>
                <StatusBadge status={i.status} />
              </Table.Td>
              <Table.Td>{i.complaintCount}</Table.Td>
              <Table.Td>{i.owner?.name ?? i.team?.name ?? '—'}</Table.Td>
              <Table.Td>{f.date(i.raisedAt)}</Table.Td>
              <Table.Td className="ltr-run">
                {i.capa ? (
                  <Link to={`/improvement/capa?ref=${i.capa.ref}`}>{i.capa.ref}</Link>
                ) : (
                  t('improvement.recurring.noAction')
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {selected && (
        <IssueCard
          key={selected}
          reference={selected}
          onChanged={() => void list.reload()}
          canEdit={canEditImprovement(me.role)}
        />
      )}
      <Rules canEdit={canConfigure(me.role)} />
    </Stack>
  );
}

function IssueCard(props: { reference: string; onChanged: () => void; canEdit: boolean }) {
  const t = useT();
  const f = useFormat();
  const d = useResource<IssueDetail>(
    `/api/improvement/systemic-issues/${encodeURIComponent(props.reference)}`,
  );
  const [v, setV] = useState({ status: '', capa: '' });
  const i = d.data;
  useEffect(() => {
    if (i) setV({ status: i.status, capa: i.capa?.ref ?? '' });
  }, [i]);
  if (!i) return <ProblemAlert error={d.error} />;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    if (v.status !== i.status) body.status = v.status;
    if (v.capa !== (i.capa?.ref ?? '')) body.capa = v.capa || null;
    if (Object.keys(body).length && (await d.run('PATCH', `/api/improvement/systemic-issues/${i.ref}`, body)))
      props.onChanged();
  };
  const raise = () =>
    navigate(
      `/improvement/capa${query({ new: '1', issue: i.ref, title: i.label, complaints: i.complaints.map((c) => c.reference).join(' ') })}`,
    );
  return (
    <Card
      withBorder
      padding="md"
      component="section"
      aria-labelledby="issue-title"
      data-testid="issue-detail"
    >
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4" id="issue-title">
            <span className="ltr-run">{i.ref}</span> · <span dir="auto">{i.label}</span>
          </Title>
          <StatusBadge status={i.status} />
        </Group>
        <ProblemAlert error={d.error} />
        <Facts
          cols={3}
          items={[
            [
              t('improvement.systemic.rule'),
              `${i.rule.name} (${t(`improvement.dimension.${i.rule.dimension}`)})`,
            ],
            [t('improvement.field.owner'), i.owner?.name],
            [t('improvement.field.team'), i.team?.name],
            [t('improvement.systemic.span'), `${f.date(i.firstAt)} – ${f.date(i.lastAt)}`],
            [t('improvement.systemic.raisedAt'), f.dateTime(i.raisedAt)],
            [t('improvement.systemic.action'), i.capa?.ref],
          ]}
        />
        {props.canEdit && i.status !== 'closed' && (
          <Paper withBorder p="sm" component="form" onSubmit={(e: FormEvent) => void save(e)}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NativeSelect
                label={t('improvement.field.status')}
                value={v.status}
                onChange={(e) => setV({ ...v, status: e.currentTarget.value })}
                data={[i.status, ...(next[i.status] ?? [])].map((s) => ({
                  value: s,
                  label: t(`improvement.status.${s}`),
                }))}
              />
              <TextInput
                label={t('improvement.systemic.capaRef')}
                placeholder="CAPA-0001"
                value={v.capa}
                onChange={(e) => setV({ ...v, capa: e.currentTarget.value })}
                error={d.fieldErrors.capa}
                dir="ltr"
              />
            </SimpleGrid>
            <Group mt="sm" justify="flex-end">
              {!i.capa && (
                <Button variant="light" onClick={raise} data-testid="raise-capa-from-issue">
                  {t('improvement.capa.raise')}
                </Button>
              )}
              <Button type="submit" loading={d.busy}>
                {t('common.save')}
              </Button>
            </Group>
          </Paper>
        )}
        <Title order={4} size="h5">
          {t('improvement.field.complaints')} ({i.complaints.length})
        </Title>
        <Group gap="xs" wrap="wrap">
          {i.complaints.map((c) => (
            <Link key={c.reference} to={`/complaints/${c.reference}`} className="ltr-run">
              {c.reference}
            </Link>
          ))}
        </Group>
        <Title order={4} size="h5">
          {t('improvement.history')}
        </Title>
        <List size="sm" spacing={2}>
          {i.history.map((h, n) => (
            <List.Item key={n}>
              {f.dateTime(h.at)} · {h.actor} ·{' '}
              {t(`improvement.event.${h.action}`, { defaultValue: h.action })}
            </List.Item>
          ))}
        </List>
      </Stack>
    </Card>
  );
}

function Rules(props: { canEdit: boolean }) {
  const t = useT();
  const staff = useStaff();
  const catalogue = useCatalogue();
  const rules = useResource<{ items: Rule[] }>('/api/improvement/systemic-rules');
  const empty = {
    name: '',
    dimension: 'category',
    threshold: '5',
    windowDays: '30',
    minSimilarity: '0.5',
    ownerId: '',
    team: '',
  };
  const [v, setV] = useState(empty);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await rules.run('POST', '/api/improvement/systemic-rules', {
      name: v.name,
      dimension: v.dimension,
      threshold: Number(v.threshold),
      windowDays: Number(v.windowDays),
      ...(v.dimension === 'text' ? { minSimilarity: Number(v.minSimilarity) } : {}),
      ...(v.ownerId ? { ownerId: v.ownerId } : {}),
      ...(v.team ? { team: v.team } : {}),
    });
    if (ok) setV(empty);
  };
  return (
    <section aria-labelledby="rules-title">
      <Title order={3} size="h4" id="rules-title" mb="xs">
        {t('improvement.rules.title')}
      </Title>
      <ProblemAlert error={rules.error} />
      <Table fz="sm" data-testid="rules">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('improvement.rules.name')}</Table.Th>
            <Table.Th>{t('improvement.rules.dimension')}</Table.Th>
            <Table.Th>{t('improvement.rules.threshold')}</Table.Th>
            <Table.Th>{t('improvement.rules.windowDays')}</Table.Th>
            <Table.Th>{t('improvement.field.owner')}</Table.Th>
            <Table.Th>{t('improvement.field.active')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(rules.data?.items ?? []).map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td dir="auto">{r.name}</Table.Td>
              <Table.Td>{t(`improvement.dimension.${r.dimension}`)}</Table.Td>
              <Table.Td>{r.threshold}</Table.Td>
              <Table.Td>{r.windowDays}</Table.Td>
              <Table.Td>{r.owner?.name ?? r.team ?? '—'}</Table.Td>
              <Table.Td>
                <Checkbox
                  aria-label={t('improvement.rules.activeOf', { name: r.name })}
                  checked={r.active}
                  disabled={!props.canEdit || rules.busy}
                  onChange={(e) =>
                    void rules.run('PATCH', `/api/improvement/systemic-rules/${r.id}`, {
                      active: e.currentTarget.checked,
                    })
                  }
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {props.canEdit && (
        <Paper
          withBorder
          p="md"
          mt="sm"
          component="form"
          onSubmit={(e: FormEvent) => void add(e)}
          aria-labelledby="rule-add-title"
        >
          <Title order={4} size="h5" mb="xs" id="rule-add-title">
            {t('improvement.rules.add')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('improvement.rules.name')}
              required
              value={v.name}
              onChange={(e) => setV({ ...v, name: e.currentTarget.value })}
              error={rules.fieldErrors.name}
              dir="auto"
            />
            <NativeSelect
              label={t('improvement.rules.dimension')}
              value={v.dimension}
              onChange={(e) => setV({ ...v, dimension: e.currentTarget.value })}
              data={['category', 'product', 'root_cause', 'text'].map((x) => ({
                value: x,
                label: t(`improvement.dimension.${x}`),
              }))}
            />
            <TextInput
              type="number"
              min={2}
              label={t('improvement.rules.threshold')}
              required
              value={v.threshold}
              onChange={(e) => setV({ ...v, threshold: e.currentTarget.value })}
              error={rules.fieldErrors.threshold}
            />
            <TextInput
              type="number"
              min={1}
              label={t('improvement.rules.windowDays')}
              required
              value={v.windowDays}
              onChange={(e) => setV({ ...v, windowDays: e.currentTarget.value })}
              error={rules.fieldErrors.windowDays}
            />
            {v.dimension === 'text' && (
              <TextInput
                type="number"
                step="0.05"
                min={0.05}
                max={1}
                label={t('improvement.rules.minSimilarity')}
                value={v.minSimilarity}
                onChange={(e) => setV({ ...v, minSimilarity: e.currentTarget.value })}
                error={rules.fieldErrors.minSimilarity}
              />
            )}
            <NativeSelect
              label={t('improvement.field.owner')}
              value={v.ownerId}
              onChange={(e) => setV({ ...v, ownerId: e.currentTarget.value })}
              data={[
                { value: '', label: t('improvement.none') },
                ...staff
                  .filter((x) => x.active)
                  .map((x) => ({ value: x.id, label: `${x.name} · ${t(`role.${x.role}`)}` })),
              ]}
            />
            <NativeSelect
              label={t('improvement.field.team')}
              value={v.team}
              onChange={(e) => setV({ ...v, team: e.currentTarget.value })}
              data={[
                { value: '', label: t('improvement.none') },
                ...(catalogue?.teams ?? []).map((x) => ({ value: x.key, label: x.name })),
              ]}
            />
          </SimpleGrid>
          <Group mt="sm">
            <Button type="submit" loading={rules.busy}>
              {t('common.add')}
            </Button>
          </Group>
        </Paper>
      )}
    </section>
  );
}
