/**
 * Systemic-issue detection (IMP-4), the pure part: does a set of similar complaints reach a rule's threshold within
 * its sliding window, and which complaints form that cluster.
 */
export const systemicDimensions = ['category', 'product', 'root_cause', 'text'] as const;
export type SystemicDimension = (typeof systemicDimensions)[number];
export const issueStatuses = ['open', 'investigating', 'closed'] as const;
export type IssueStatus = (typeof issueStatuses)[number];

export const issueTransitions: Readonly<Record<IssueStatus, readonly IssueStatus[]>> = {
  open: ['investigating', 'closed'],
  investigating: ['open', 'closed'],
  closed: [],
};

export interface Dated {
  id: string;
  at: number;
}

/**
 * The first window of `windowDays` (inclusive of both ends) holding at least `threshold` items, as the items in it
 * (everything within windowDays of the window's first item), or null when no window reaches the threshold.
 */
export function clusterInWindow<T extends Dated>(
  items: readonly T[],
  windowDays: number,
  threshold: number,
): T[] | null {
  if (threshold < 1 || items.length < threshold) return null;
  const sorted = [...items].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const span = windowDays * 86_400_000;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]!.at - sorted[start]!.at > span) start++;
    if (end - start + 1 >= threshold) {
      let last = end;
      while (last + 1 < sorted.length && sorted[last + 1]!.at - sorted[start]!.at <= span) last++;
      return sorted.slice(start, last + 1);
    }
  }
  return null;
}

/** The signature of a cluster: the shared value, or for text the earliest complaint of the cluster (its seed). */
export function issueSignature(dimension: SystemicDimension, value: string): string {
  return `${dimension}:${value}`;
}
