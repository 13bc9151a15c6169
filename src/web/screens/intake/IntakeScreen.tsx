import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApiError, post } from '../../app/api.ts';
import { categoryOptions, useCatalogue } from '../../app/data.ts';
import { Link } from '../../app/router.tsx';
import { languageNames, languages, useLanguage, useT } from '../../i18n/i18n.tsx';
import { problemText } from '../../ui/problems.ts';

const intakeChannels = ['phone', 'in_person', 'letter', 'social_media'] as const;
const contactChannels = ['email', 'phone', 'letter', 'sms'] as const;
const severities = ['low', 'medium', 'high', 'critical'] as const;

type Draft = Record<string, string | boolean>;
const randomKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
const STORE = 'redress.intake.draft';

/**
 * Assisted intake (WORK-3) for phone, in-person, letter and social-media complaints: one form in the order a call
 * goes, keyboard only (Tab through, Ctrl+Enter records), the draft kept in this tab until recorded, errors beside
 * each field, and the reference read back at once.
 */
export default function IntakeScreen() {
  const t = useT();
  const { lang } = useLanguage();
  const catalogue = useCatalogue();
  const initial = (): Draft => {
    try {
      return JSON.parse(sessionStorage.getItem(STORE) ?? '') as Draft;
    } catch {
      return { channel: 'phone', type: 'complaint', preferredLanguage: lang, preferredChannel: 'phone' };
    }
  };
  const [d, setD] = useState<Draft>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const first = useRef<HTMLSelectElement>(null);
  const done = useRef<HTMLAnchorElement>(null);

  useEffect(() => sessionStorage.setItem(STORE, JSON.stringify(d)), [d]);
  useEffect(() => (created ? done.current?.focus() : first.current?.focus()), [created]);

  const s = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
  const set = (k: string) => (e: { currentTarget: { value: string } }) => {
    const v = e.currentTarget.value;
    setD((x) => ({ ...x, [k]: v }));
  };
  const errors = error?.fieldErrors() ?? {};

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    const opt = (k: string) => (s(k).trim() ? s(k).trim() : undefined);
    const anonymous = d.anonymous === true;
    const body = {
      type: s('type'),
      channel: s('channel'),
      description: s('description'),
      language: s('preferredLanguage') || undefined,
      category: opt('category'),
      product: opt('product'),
      severity: opt('severity'),
      occurredOn: opt('occurredOn'),
      location: opt('location'),
      desiredRemedy: opt('desiredRemedy'),
      receivedAt: opt('receivedOn') ? new Date(`${s('receivedOn')}T12:00:00`).toISOString() : undefined,
      complainant: {
        anonymous: anonymous || undefined,
        name: anonymous ? undefined : opt('name'),
        email: opt('email'),
        phone: opt('phone'),
        postalAddress: opt('postalAddress'),
        preferredLanguage: s('preferredLanguage') || undefined,
        preferredChannel: s('preferredChannel') || undefined,
      },
      representative: opt('repName')
        ? {
            name: s('repName'),
            relationship: s('repRelationship'),
            authorityEvidence: s('repEvidence'),
            phone: opt('repPhone'),
          }
        : undefined,
    };
    // One key per complaint being recorded: a retry after a lost answer never records it twice.
    const key = s('key') || randomKey();
    if (!s('key')) setD((x) => ({ ...x, key }));
    try {
      const c = await post<{ reference: string }>('/api/complaints', body, { 'idempotency-key': key });
      setCreated(c.reference);
      sessionStorage.removeItem(STORE);
      setD({
        channel: s('channel'),
        type: 'complaint',
        preferredLanguage: lang,
        preferredChannel: s('preferredChannel') || 'phone',
      });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError({ status: 0 }));
    } finally {
      setBusy(false);
    }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
  };
  const err = (k: string) => errors[k];

  if (created) {
    return (
      <Stack>
        <Title order={2}>{t('intake.title')}</Title>
        <Alert color="green" role="status" title={t('intake.recorded')} data-testid="intake-done">
          <Text size="xl" fw={700} className="ltr-run" data-testid="new-reference">
            {created}
          </Text>
          <Text size="sm">{t('intake.readBack')}</Text>
        </Alert>
        <Group>
          <Anchor component={Link} to={`/complaints/${created}`} ref={done} c="blue.8">
            {t('intake.open', { reference: created })}
          </Anchor>
          <Button variant="light" onClick={() => setCreated(null)} data-testid="intake-another">
            {t('intake.another')}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={(e) => void submit(e)} onKeyDown={onKey} noValidate data-testid="intake-form">
      <Stack gap="md" maw={960}>
        <Title order={2}>{t('intake.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('intake.hint')}
        </Text>
        {error && (
          <Alert color="red" role="alert" data-testid="intake-error">
            {error.problem.errors ? t('form.fixFields') : problemText(t, error)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            ref={first}
            label={t('field.channel')}
            value={s('channel')}
            onChange={set('channel')}
            error={err('channel')}
            data={intakeChannels.map((v) => ({ value: v, label: t(`enum.channel.${v}`) }))}
            name="channel"
          />
          <NativeSelect
            label={t('field.type')}
            value={s('type')}
            onChange={set('type')}
            error={err('type')}
            data={['complaint', 'suggestion', 'compliment'].map((v) => ({
              value: v,
              label: t(`enum.type.${v}`),
            }))}
            name="type"
          />
          <TextInput
            type="date"
            label={t('intake.receivedOn')}
            description={t('intake.receivedOnHint')}
            value={s('receivedOn')}
            onChange={set('receivedOn')}
            error={err('receivedAt')}
            name="receivedOn"
          />
        </SimpleGrid>
        <Fieldset legend={t('complaint.complainant')}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label={t('intake.name')}
              value={s('name')}
              onChange={set('name')}
              error={err('complainant.name')}
              disabled={d.anonymous === true}
              name="name"
              autoComplete="off"
            />
            <TextInput
              label={t('intake.phone')}
              type="tel"
              value={s('phone')}
              onChange={set('phone')}
              error={err('complainant.phone')}
              name="phone"
              autoComplete="off"
              dir="ltr"
            />
            <TextInput
              label={t('intake.email')}
              type="email"
              value={s('email')}
              onChange={set('email')}
              error={err('complainant.email')}
              name="email"
              autoComplete="off"
              dir="ltr"
            />
            <NativeSelect
              label={t('intake.preferredLanguage')}
              value={s('preferredLanguage')}
              onChange={set('preferredLanguage')}
              data={languages.map((l) => ({ value: l, label: languageNames[l] }))}
              name="preferredLanguage"
            />
            <NativeSelect
              label={t('intake.preferredChannel')}
              value={s('preferredChannel')}
              onChange={set('preferredChannel')}
              data={contactChannels.map((v) => ({ value: v, label: t(`enum.channel.${v}`) }))}
              name="preferredChannel"
            />
            <TextInput
              label={t('intake.address')}
              value={s('postalAddress')}
              onChange={set('postalAddress')}
              error={err('complainant.postalAddress')}
              name="postalAddress"
            />
          </SimpleGrid>
          <Checkbox
            mt="sm"
            label={t('intake.anonymous')}
            checked={d.anonymous === true}
            onChange={(e) => setD((x) => ({ ...x, anonymous: e.currentTarget.checked }))}
            name="anonymous"
          />
        </Fieldset>
        <Textarea
          label={t('intake.description')}
          description={t('intake.descriptionHint')}
          required
          autosize
          minRows={4}
          value={s('description')}
          onChange={set('description')}
          error={err('description')}
          name="description"
          dir="auto"
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label={t('field.category')}
            value={s('category')}
            onChange={set('category')}
            error={err('category')}
            data={[{ value: '', label: t('form.none') }, ...categoryOptions(catalogue)]}
            name="category"
          />
          <NativeSelect
            label={t('input.product')}
            value={s('product')}
            onChange={set('product')}
            error={err('product')}
            data={[
              { value: '', label: t('form.none') },
              ...(catalogue?.products ?? []).map((p) => ({ value: p.key, label: p.name })),
            ]}
            name="product"
          />
          <NativeSelect
            label={t('input.severity')}
            value={s('severity')}
            onChange={set('severity')}
            error={err('severity')}
            data={[
              { value: '', label: t('form.none') },
              ...severities.map((v) => ({ value: v, label: t(`enum.severity.${v}`) })),
            ]}
            name="severity"
          />
          <TextInput
            type="date"
            label={t('complaint.occurredOn')}
            value={s('occurredOn')}
            onChange={set('occurredOn')}
            error={err('occurredOn')}
            name="occurredOn"
          />
          <TextInput
            label={t('complaint.location')}
            value={s('location')}
            onChange={set('location')}
            error={err('location')}
            name="location"
          />
          <TextInput
            label={t('complaint.desiredRemedy')}
            value={s('desiredRemedy')}
            onChange={set('desiredRemedy')}
            error={err('desiredRemedy')}
            name="desiredRemedy"
            dir="auto"
          />
        </SimpleGrid>
        <Fieldset legend={t('intake.representative')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('intake.repName')}
              value={s('repName')}
              onChange={set('repName')}
              error={err('representative.name')}
              name="repName"
            />
            <TextInput
              label={t('intake.repRelationship')}
              value={s('repRelationship')}
              onChange={set('repRelationship')}
              error={err('representative.relationship')}
              name="repRelationship"
            />
            <TextInput
              label={t('intake.phone')}
              value={s('repPhone')}
              onChange={set('repPhone')}
              error={err('representative.phone')}
              name="repPhone"
              dir="ltr"
            />
            <TextInput
              label={t('intake.repEvidence')}
              value={s('repEvidence')}
              onChange={set('repEvidence')}
              error={err('representative.authorityEvidence')}
              name="repEvidence"
            />
          </SimpleGrid>
        </Fieldset>
        <Group>
          <Button type="submit" loading={busy} data-testid="intake-submit">
            {t('intake.submit')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('intake.shortcut')}
          </Text>
        </Group>
      </Stack>
    </form>
  );
}
