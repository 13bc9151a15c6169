import { Card, SimpleGrid, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled card. */
export function Section(props: { title: string; children: ReactNode; testId?: string; actions?: ReactNode }) {
  return (
    <Card withBorder padding="md" component="section" aria-label={props.title} data-testid={props.testId}>
      <Title order={3} size="h4" mb="xs">
        {props.title}
      </Title>
      {props.children}
    </Card>
  );
}

/** Label/value pairs as a description list; empty values are left out. */
export function Facts(props: { items: Array<[string, ReactNode]>; cols?: number }) {
  const items = props.items.filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== false);
  return (
    <SimpleGrid component="dl" cols={{ base: 1, sm: props.cols ?? 2 }} spacing="xs" verticalSpacing={6} m={0}>
      {items.map(([label, value]) => (
        <div key={label}>
          <Text component="dt" size="xs" c="dimmed" fw={600}>
            {label}
          </Text>
          <Text component="dd" size="sm" m={0} className="pre-wrap">
            {value}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}
