import { Stack, Text, Title } from '@mantine/core';
import { useT } from '../i18n/i18n.tsx';
import { Link } from '../app/router.tsx';

export default function NotFound() {
  const t = useT();
  return (
    <Stack>
      <Title order={2}>{t('notFound.title')}</Title>
      <Text>
        <Link to="/" className="plain">
          {t('notFound.back')}
        </Link>
      </Text>
    </Stack>
  );
}
