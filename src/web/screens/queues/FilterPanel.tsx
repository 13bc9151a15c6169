import { Button, Collapse, Group, MultiSelect, NativeSelect, Paper, SimpleGrid, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { categoryOptions, useCatalogue } from '../../app/data.ts';
import { useSession } from '../../app/session.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { navigate } from '../../app/router.tsx';
import { allStates, channels, deleteView, feedbackTypes, savedViews, saveView, sorts, type Filters } from './queues.ts';

/** Narrowing a queue: state, type, channel, team, category, dates, sort; and the user's own saved views. */
export function FilterPanel(props: { base: Filters; value: Filters; onChange: (f: Filters) => void; viewId: string; hideFilters?: boolean }) {
  const t = useT();
  const { me } = useSession();
  const catalogue = useCatalogue();
  const [opened, { toggle }] = useDisclosure(Object.keys(props.value).some((k) => k !== 'q'));
  const [draft, setDraft] = useState<Filters>(props.value);
  const [views, setViews] = useState(() => savedViews(me));
  const [viewName, setViewName] = useState('');
  const set = (k: string, v: string | string[] | undefined) => setDraft((d) => ({ ...d, [k]: v === '' ? undefined : v }));
  const str = (k: string) => (typeof draft[k] === 'string' ? draft[k] : '');
  const any = (label: string) => [{ value: '', label }];
  const date = (k: string) => (str(k) ? str(k).slice(0, 10) : '');

  return (
    <Paper withBorder p="sm">
      <Group justify="space-between">
        <Group gap="xs">
          {!props.hideFilters && (
            <Button variant="subtle" onClick={toggle} aria-expanded={opened} aria-controls="filters" data-testid="toggle-filters">
              {t('filters.toggle')}
            </Button>
          )}
          {views.length > 0 && (
            <NativeSelect
              aria-label={t('filters.savedViews')}
              size="xs"
              value=""
              onChange={(e) => {
                const v = views.find((x) => x.name === e.currentTarget.value);
                if (v) navigate(`/queues/${v.base}?${v.search}`);
              }}
              data={[{ value: '', label: t('filters.savedViews') }, ...views.map((v) => ({ value: v.name, label: v.name }))]}
            />
          )}
        </Group>
        <Group gap="xs">
          <TextInput size="xs" aria-label={t('filters.viewName')} placeholder={t('filters.viewName')} value={viewName} onChange={(e) => setViewName(e.currentTarget.value)} />
          <Button
            size="xs"
            variant="light"
            disabled={!viewName.trim()}
            onClick={() => {
              const search = new URLSearchParams(location.search);
              search.delete('lang');
              saveView(me, { name: viewName.trim(), base: props.viewId, search: search.toString() });
              setViews(savedViews(me));
              setViewName('');
            }}
          >
            {t('filters.saveView')}
          </Button>
          {views.length > 0 && (
            <Button
              size="xs"
              variant="subtle"
              color="red.9"
              onClick={() => {
                const last = views.at(-1);
                if (last) deleteView(me, last.name);
                setViews(savedViews(me));
              }}
            >
              {t('filters.deleteLastView')}
            </Button>
          )}
        </Group>
      </Group>
      <Collapse expanded={opened && !props.hideFilters}>
        <form
          id="filters"
          onSubmit={(e) => {
            e.preventDefault();
            props.onChange({ ...draft, q: props.value.q });
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mt="sm">
            <MultiSelect
              label={t('field.state')}
              data={allStates.map((s) => ({ value: s, label: t(`state.${s}`) }))}
              value={Array.isArray(draft.state) ? draft.state : draft.state ? [draft.state] : []}
              onChange={(v) => set('state', v)}
              placeholder={Array.isArray(props.base.state) ? t('filters.openOnly') : t('filters.any')}
              clearable
            />
            <NativeSelect label={t('field.type')} value={str('type')} onChange={(e) => set('type', e.currentTarget.value)} data={[...any(t('filters.any')), ...feedbackTypes.map((v) => ({ value: v, label: t(`enum.type.${v}`) }))]} />
            <NativeSelect label={t('field.channel')} value={str('channel')} onChange={(e) => set('channel', e.currentTarget.value)} data={[...any(t('filters.any')), ...channels.map((v) => ({ value: v, label: t(`enum.channel.${v}`) }))]} />
            <NativeSelect
              label={t('field.team')}
              value={str('team')}
              onChange={(e) => set('team', e.currentTarget.value)}
              data={[...any(t('filters.any')), ...(catalogue?.teams ?? []).map((x) => ({ value: x.key, label: x.name }))]}
            />
            <NativeSelect label={t('field.category')} value={str('category')} onChange={(e) => set('category', e.currentTarget.value)} data={[...any(t('filters.any')), ...categoryOptions(catalogue)]} />
            <TextInput type="date" label={t('filters.receivedFrom')} value={date('receivedFrom')} onChange={(e) => set('receivedFrom', e.currentTarget.value ? `${e.currentTarget.value}T00:00:00Z` : undefined)} />
            <TextInput type="date" label={t('filters.receivedTo')} value={date('receivedTo')} onChange={(e) => set('receivedTo', e.currentTarget.value ? `${e.currentTarget.value}T23:59:59Z` : undefined)} />
            <NativeSelect label={t('filters.sort')} value={str('sort')} onChange={(e) => set('sort', e.currentTarget.value)} data={[...any(t('filters.sortDefault')), ...sorts.map((v) => ({ value: v, label: t(`sort.${v}`) }))]} />
          </SimpleGrid>
          <Group mt="sm" gap="xs">
            <Button type="submit" data-testid="apply-filters">
              {t('filters.apply')}
            </Button>
            <Button
              variant="default"
              onClick={() => {
                setDraft({});
                props.onChange({ q: props.value.q });
              }}
            >
              {t('filters.reset')}
            </Button>
          </Group>
        </form>
      </Collapse>
    </Paper>
  );
}
