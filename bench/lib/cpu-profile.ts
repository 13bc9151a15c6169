import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by function (top `limit`). */
  functions: Array<{ name: string; where: string; ms: number; share: number }>;
  /** Self time by area: a package in node_modules, a folder of src/, node internals, GC, idle … */
  areas: Array<{ area: string; ms: number; share: number }>;
  /** Inclusive time of frames whose function name matches, e.g. createComplaint (recursion counted once). */
  inclusive: Array<{ name: string; ms: number; share: number }>;
}

function areaOf(url: string, functionName: string, root: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 14).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const rel = relative(root, path);
  const parts = rel.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : rel;
}

/** Reads a V8 .cpuprofile (from `node --cpu-prof`) and sums self and inclusive time. */
export function summariseProfile(file: string, root: string, options: { limit?: number; inclusive?: string[] } = {}): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = profile.timeDeltas.reduce((a, b) => a + b, 0);

  const functions = new Map<string, { name: string; where: string; us: number }>();
  const areas = new Map<string, number>();
  const wanted = options.inclusive ?? [];
  const inclusive = new Map<string, number>(wanted.map((w) => [w, 0]));
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const local = url.startsWith('file://') && !url.includes('/node_modules/');
    const where = !url ? '' : local ? relative(root, decodeURIComponent(url.slice(7))) : areaOf(url, functionName, root);
    const key = `${functionName}@${url}:${lineNumber}`;
    const f = functions.get(key) ?? { name: functionName || '(anonymous)', where, us: 0 };
    f.us += us;
    functions.set(key, f);
    const area = areaOf(url, functionName, root);
    areas.set(area, (areas.get(area) ?? 0) + us);
    if (wanted.length > 0) {
      const found = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const name = byId.get(at)!.callFrame.functionName;
        for (const w of wanted) if (name === w) found.add(w);
      }
      for (const w of found) inclusive.set(w, (inclusive.get(w) ?? 0) + us);
    }
  }
  const ms = (us: number) => us / 1000;
  return {
    totalMs: ms(totalUs),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, options.limit ?? 25)
      .map((f) => ({ name: f.name, where: f.where, ms: ms(f.us), share: f.us / totalUs })),
    areas: [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: ms(us), share: us / totalUs })),
    inclusive: [...inclusive.entries()].map(([name, us]) => ({ name, ms: ms(us), share: us / totalUs })),
  };
}
