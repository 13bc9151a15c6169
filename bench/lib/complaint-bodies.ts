import { demoComplaintsByLanguage, demoLanguages, type DemoComplaint, type DemoLanguage } from '../../src/demo/corpus.ts';
import { prng } from '../../src/shared/prng.ts';

/** The JSON body of one `POST /api/complaints` request (a valid `createComplaintInput`). */
export interface ComplaintBody {
  type: DemoComplaint['type'];
  channel: DemoComplaint['channel'];
  description: string;
  language: DemoLanguage;
  category: string;
  product: string;
  severity: DemoComplaint['severity'];
  occurredOn: string;
  location?: string;
  desiredRemedy?: string;
  complainant: { name: string; email?: string; phone?: string; preferredLanguage: DemoLanguage };
}


const LOCATIONS = ['Leeds Briggate branch', 'Mobile app (Android)', 'Online banking', 'Telephone banking', 'Manchester Market St branch', 'Smart meter'];
const MIN_CHARS = 500;
const MAX_CHARS = 1500;

/**
 * `count` realistic, varied complaint bodies: the six languages in turn, each description made of several demo
 * complaints of that language (the same customer writing at length) to a length drawn between 500 and 1,500
 * characters, with the category, product, severity, channel and complainant of the first one.
 */
export function complaintBodies(count: number, seed = 20_260_101): ComplaintBody[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const today = Date.now();
  const bodies: ComplaintBody[] = [];
  for (let i = 0; i < count; i++) {
    const language = demoLanguages[i % demoLanguages.length]!;
    const pool = demoComplaintsByLanguage[language];
    const first = pool[Math.floor(i / demoLanguages.length) % pool.length]!;
    const target = MIN_CHARS + Math.floor(random() * (MAX_CHARS - MIN_CHARS));
    const separator = language === 'zh' ? '' : ' ';
    let description = first.description;
    for (let guard = 0; description.length < target && guard < 100; guard++) {
      const next = pick(pool).description;
      if (description.length + separator.length + next.length > MAX_CHARS && description.length >= MIN_CHARS) break;
      description += (random() < 0.3 ? '\n\n' : separator) + next;
    }
    if (description.length > MAX_CHARS) description = description.slice(0, MAX_CHARS);
    const c = first.complainant;
    const local = (c.email ?? `customer${i}@example.com`).split('@')[0]!;
    bodies.push({
      type: first.type,
      channel: first.channel,
      description,
      language,
      category: first.categoryKey,
      product: first.productKey,
      severity: first.severity,
      occurredOn: new Date(today - first.occurredDaysAgo * 86_400_000).toISOString().slice(0, 10),
      ...(i % 3 === 0 ? { location: pick(LOCATIONS) } : {}),
      ...(first.desiredRemedy ? { desiredRemedy: first.desiredRemedy } : {}),
      complainant: {
        name: c.name,
        ...(c.email || !c.phone ? { email: `${local}+${i}@example.com` } : {}),
        ...(c.phone ? { phone: c.phone } : {}),
        preferredLanguage: language,
      },
    });
  }
  return bodies;
}
