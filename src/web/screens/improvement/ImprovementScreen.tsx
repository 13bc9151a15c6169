import { Center, Loader, Title } from '@mantine/core';
import { useFeatureMessages, useT } from '../../i18n/i18n.tsx';

/** (Filled in by the feature that owns it.) */
export default function ImprovementScreen(props: { tab: string }) {
  const ready = useFeatureMessages('improvement');
  const t = useT();
  void props.tab;
  if (!ready)
    return (
      <Center h="50vh">
        <Loader />
      </Center>
    );
  return <Title order={2}>{t('improvement.title')}</Title>;
}
