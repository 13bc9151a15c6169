import { Badge, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useFormat, useT } from '../i18n/i18n.tsx';

/** Badge colours with white text at WCAG AA contrast (≥ 4.5:1), except yellow, which gets dark text. */
const stateColors: Record<string, string> = {
  received: '#1864ab',
  acknowledged: '#0b7285',
  assessed: '#364fc7',
  under_investigation: '#5f3dc4',
  awaiting_complainant: '#ffd43b',
  response_drafted: '#862e9c',
  response_approved: '#087f5b',
  response_sent: '#237032',
  escalated: '#c92a2a',
  reopened: '#a13d06',
  closed: '#495057',
  withdrawn: '#5c636a',
  out_of_scope: '#5c636a',
};
export const priorityColor = (p: string) => ({ critical: '#a51d1d', high: '#9c3a08', medium: '#6b5200', low: '#495057' })[p] ?? '#495057';

export function StateBadge(props: { state: string }) {
  const t = useT();
  return (
    <Badge color={stateColors[props.state] ?? '#495057'} autoContrast data-state={props.state}>
      {t(`state.${props.state}`)}
    </Badge>
  );
}

/** The time left until a deadline ("in 3 days"), in red once passed; refreshed every minute. */
export function TimeLeft(props: { at: string | null | undefined; strong?: boolean }) {
  const f = useFormat();
  const t = useT();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(id);
  }, []);
  if (!props.at) return <Text size="sm">—</Text>;
  const late = new Date(props.at).getTime() < now;
  return (
    <Text size="sm" c={late ? 'red.9' : undefined} fw={late || props.strong ? 700 : undefined} title={f.dateTime(props.at)}>
      {late ? t('deadline.overdue', { when: f.relative(props.at, now) }) : f.relative(props.at, now)}
    </Text>
  );
}
