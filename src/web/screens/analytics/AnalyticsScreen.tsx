import { Center, Loader, Title } from '@mantine/core';
import { useFeatureMessages, useT } from '../../i18n/i18n.tsx';

/** (Filled in by the feature that owns it.) */
export default function AnalyticsScreen() {
  const ready = useFeatureMessages('analytics');
  const t = useT();
  if (!ready)
    return (
      <Center h="50vh">
        <Loader />
      </Center>
    );
  return <Title order={2}>{t('analytics.title')}</Title>;
}
