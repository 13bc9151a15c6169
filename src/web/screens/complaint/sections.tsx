import { Anchor, Badge, Button, Group, List, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { Link } from '../../app/router.tsx';
import type { Complaint } from '../../app/types.ts';
import { useFormat, useT } from '../../i18n/i18n.tsx';
import { StateBadge, TimeLeft } from '../../ui/badges.tsx';
import { Facts, Section } from '../../ui/Facts.tsx';
import { useCatalogue } from '../../app/data.ts';
import { rootCauseOptions, useRootCauses } from '../improvement/rootCauses.ts';
import { ApiError, put } from '../../app/api.ts';
import { useSession } from '../../app/session.tsx';
import { problemText } from '../../ui/problems.ts';
import { useState, type FormEvent } from 'react';

export function Details(props: { c: Complaint; onChanged?: () => void }) {
  const t = useT();
  const f = useFormat();
  const c = props.c;
  const rootCauses = useRootCauses();
  const rootCause = (c as { rootCause?: string | null }).rootCause ?? null;
  const rootCauseLabel = rootCause ? (rootCauses?.find((x) => x.key === rootCause)?.label ?? rootCause) : null;
  return (
    <Section title={t('complaint.details')}>
      <Stack gap="sm">
        <Text lang={c.language} dir="auto" className="pre-wrap" data-testid="description">
          {c.description}
        </Text>
        <Facts
          cols={3}
          items={[
            [t('field.channel'), t(`enum.channel.${c.channel}`)],
            [t('field.receivedAt'), f.dateTime(c.receivedAt)],
            [t('complaint.language'), c.language.toUpperCase()],
            [t('field.category'), c.category?.name],
            [t('input.product'), c.product?.name],
            [t('input.severity'), c.severity ? t(`enum.severity.${c.severity}`) : null],
            [t('input.impact'), c.impact ? t(`enum.impact.${c.impact}`) : null],
            [t('input.urgency'), c.urgency ? t(`enum.urgency.${c.urgency}`) : null],
            [t('field.priority'), c.priority ? t(`enum.priority.${c.priority}`) : null],
            [t('input.complexity'), c.complexity ? t(`enum.complexity.${c.complexity}`) : null],
            [t('input.immediateAction'), c.immediateAction ? t('common.yes') : null],
            [t('complaint.scope'), c.inScope === null ? null : c.inScope ? t('complaint.inScope') : t('complaint.outOfScope', { reason: c.scopeReason ?? '' })],
            [t('complaint.occurredOn'), f.date(c.occurredOn)],
            [t('complaint.awareOn'), f.date(c.awareOn)],
            [t('complaint.location'), c.location],
            [t('complaint.desiredRemedy'), c.desiredRemedy],
            [t('complaint.escalationLevel'), c.escalationLevel !== 'frontline' ? t(`enum.level.${c.escalationLevel}`) : null],
            [t('complaint.decision'), c.complainantDecision ? t(`complaint.decisionValue.${c.complainantDecision}`) : null],
            [t('complaint.closure'), c.closureReason ? t(`enum.reason.${c.closureReason}`) : null],
            [t('complaint.rootCause'), rootCauseLabel],
          ]}
        />
        {props.onChanged && <RootCauseEditor c={c} recorded={rootCause} onChanged={props.onChanged} />}
      </Stack>
    </Section>
  );
}

export function ResponseCard(props: { c: Complaint }) {
  const t = useT();
  const f = useFormat();
  const catalogue = useCatalogue();
  const r = props.c.response!;
  const remedyName = (key: string) => catalogue?.remedies.find((x) => x.key === key)?.name ?? key;
  const c = props.c;
  return (
    <Section title={t('complaint.response')} testId="response">
      <Facts
        items={[
          [t('input.outcome'), t(`enum.outcome.${r.outcome}`)],
          [t('complaint.draftedBy'), c.draftedBy?.name],
          [t('complaint.approval'), c.approvalRequired ? (c.approvedBy ? t('complaint.approvedBy', { name: c.approvedBy.name ?? '', when: f.dateTime(c.approvedAt) }) : t('complaint.awaitingApproval')) : t('complaint.noApprovalNeeded')],
          [t('complaint.sentAt'), f.dateTime(c.sentAt)],
          [t('input.reasons'), r.reasons],
          [t('input.remedies'), r.remedies.map((x) => `${remedyName(x.key)}${x.amount !== undefined ? `: ${f.number(x.amount)}` : ''}`).join(', ')],
          [t('input.message'), r.message],
        ]}
      />
    </Section>
  );
}

export function ComplainantCard(props: { c: Complaint }) {
  const t = useT();
  const c = props.c;
  if (!c.complainant) {
    return c.complainantRedacted ? (
      <Section title={t('complaint.complainant')} testId="complainant-hidden">
        <Text size="sm" c="dimmed">
          {t('complaint.personalDataHidden')}
        </Text>
      </Section>
    ) : null;
  }
  const p = c.complainant;
  const rep = c.representative;
  return (
    <Section title={t('complaint.complainant')} testId="complainant">
      <Facts
        cols={1}
        items={[
          [t('intake.name'), p.anonymous ? t('complaint.anonymous') : p.name],
          [t('intake.email'), p.email ? <span className="ltr-run">{p.email}</span> : null],
          [t('intake.phone'), p.phone ? <span className="ltr-run">{p.phone}</span> : null],
          [t('intake.address'), p.postalAddress],
          [t('intake.preferredLanguage'), p.preferredLanguage.toUpperCase()],
          [t('intake.preferredChannel'), t(`enum.channel.${p.preferredChannel}`)],
          [t('complaint.representative'), rep && !rep.redacted ? `${rep.name ?? ''} (${rep.relationship ?? ''})` : null],
        ]}
      />
    </Section>
  );
}

interface DeadlineRow {
  name: string;
  dueAt: string | null;
  profile?: string;
  clock?: string;
  status?: string;
  paused?: boolean;
  governing?: boolean;
  metAt?: string | null;
  rule?: string;
}

export function Deadlines(props: { c: Complaint }) {
  const t = useT();
  const f = useFormat();
  const rows = Array.isArray(props.c.deadlines) ? (props.c.deadlines as DeadlineRow[]) : [];
  if (rows.length === 0 && !props.c.nextDueAt) return null;
  return (
    <Section title={t('complaint.deadlines')} testId="deadlines">
      {rows.length === 0 ? (
        <Group gap="xs">
          <Text size="sm">{t('field.nextDue')}:</Text>
          <TimeLeft at={props.c.nextDueAt} />
        </Group>
      ) : (
        <Table verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('deadline.milestone')}</Table.Th>
              <Table.Th>{t('deadline.due')}</Table.Th>
              <Table.Th>{t('deadline.left')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((d, i) => (
              <Table.Tr key={`${d.profile}-${d.name}-${i}`}>
                <Table.Td title={d.rule}>
                  <Text size="sm" fw={d.governing ? 700 : undefined}>
                    {t(`deadline.name.${d.name}`, { defaultValue: d.name })}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {d.profile} · {t(`deadline.clock.${d.clock ?? 'internal'}`)}
                  </Text>
                </Table.Td>
                <Table.Td>{f.dateTime(d.dueAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {d.status === 'met' ? (
                    <Badge color="#237032" variant="outline">
                      {t('deadline.met')}
                    </Badge>
                  ) : d.paused ? (
                    <Badge color="#495057" variant="outline">
                      {t('deadline.paused')}
                    </Badge>
                  ) : (
                    <TimeLeft at={d.dueAt} strong={d.governing} />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

export function Related(props: { c: Complaint }) {
  const t = useT();
  const links = props.c.links ?? [];
  if (links.length === 0 && !props.c.mergedInto) return null;
  return (
    <Section title={t('complaint.related')} testId="related">
      <List spacing={4} size="sm">
        {props.c.mergedInto && (
          <List.Item>
            {t('complaint.mergedInto')}{' '}
            <Anchor component={Link} to={`/complaints/${props.c.mergedInto}`} c="blue.8" className="ltr-run">
              {props.c.mergedInto}
            </Anchor>
          </List.Item>
        )}
        {links.map((l) => (
          <List.Item key={l.id}>
            <Group gap={6}>
              <Text size="sm">{t(`link.${l.kind}`, { defaultValue: l.kind })}</Text>
              <Anchor component={Link} to={`/complaints/${l.reference}`} c="blue.8" className="ltr-run">
                {l.reference}
              </Anchor>
              <StateBadge state={l.state} />
            </Group>
          </List.Item>
        ))}
      </List>
    </Section>
  );
}

export function Attachments(props: { c: Complaint }) {
  const t = useT();
  const f = useFormat();
  const items = props.c.attachments ?? [];
  if (items.length === 0) return null;
  return (
    <Section title={t('complaint.attachments')} testId="attachments">
      <List spacing={4} size="sm">
        {items.map((a) => (
          <List.Item key={a.id}>
            {/* Always downloaded (the server sends Content-Disposition: attachment and a sandbox CSP), never shown inline. */}
            <Anchor href={`/api/complaints/${props.c.reference}/attachments/${a.id}`} download={a.filename} c="blue.8">
              {a.filename}
            </Anchor>{' '}
            <Text span size="xs" c="dimmed">
              ({a.mime}, {f.number(Math.ceil(a.size / 1024))} KB, {f.date(a.createdAt)})
            </Text>
          </List.Item>
        ))}
      </List>
    </Section>
  );
}

/**
 * Records or changes the root cause before closure (IMP-3), so the closing form is prefilled: managers, quality
 * managers and the handler who owns the case; not on a finished complaint (reopen it first).
 */
function RootCauseEditor(props: { c: Complaint; recorded: string | null; onChanged: () => void }) {
  const t = useT();
  const { me } = useSession();
  const items = useRootCauses();
  const [value, setValue] = useState(props.recorded ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const c = props.c;
  const may = me.role === 'manager' || me.role === 'quality' || (me.role === 'handler' && c.owner?.id === me.id);
  if (!may || ['closed', 'withdrawn', 'out_of_scope'].includes(c.state)) return null;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await put(`/api/complaints/${encodeURIComponent(c.reference)}/root-cause`, { rootCause: value || null });
      props.onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ status: 0 }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Group component="form" onSubmit={(e: FormEvent) => void save(e)} align="end" gap="xs" data-testid="root-cause-editor">
      <NativeSelect
        label={t('complaint.rootCause')}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        data={[{ value: '', label: t('form.none') }, ...rootCauseOptions(items, props.recorded)]}
        error={error ? problemText(t, error) : undefined}
        name="rootCause"
      />
      <Button type="submit" variant="light" loading={busy} disabled={value === (props.recorded ?? '')}>
        {t('common.save')}
      </Button>
    </Group>
  );
}
