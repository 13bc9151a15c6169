import { sql, type Kysely } from 'kysely';

/**
 * Learning from complaints (IMP-3, IMP-4): the root cause recorded on a complaint, the root-cause taxonomy (seeded,
 * names in the six languages), corrective and preventive actions (CAPA) with their linked complaints, systemic-issue
 * rules and the issues they raise (at most one open issue per rule and signature), and the detection job.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
alter table complaints add column root_cause text;

create table root_causes (
  key text primary key,
  parent_key text references root_causes(key),
  name text not null,
  names jsonb not null default '{}',
  active boolean not null default true,
  sort integer not null default 0,
  created_at timestamptz not null default now()
);

insert into root_causes (key, parent_key, name, names, sort) values
  ('people', null, 'People', '{"en": "People", "ar": "الأفراد", "fa": "افراد", "zh": "人员", "pl": "Ludzie", "nl": "Mensen"}', 0),
  ('people.training', 'people', 'Insufficient training', '{"en": "Insufficient training", "ar": "تدريب غير كافٍ", "fa": "آموزش ناکافی", "zh": "培训不足", "pl": "Niewystarczające szkolenie", "nl": "Onvoldoende training"}', 1),
  ('people.error', 'people', 'Human error', '{"en": "Human error", "ar": "خطأ بشري", "fa": "خطای انسانی", "zh": "人为差错", "pl": "Błąd ludzki", "nl": "Menselijke fout"}', 2),
  ('people.conduct', 'people', 'Staff conduct', '{"en": "Staff conduct", "ar": "سلوك الموظفين", "fa": "رفتار کارکنان", "zh": "员工行为", "pl": "Zachowanie personelu", "nl": "Gedrag van medewerkers"}', 3),
  ('process', null, 'Process', '{"en": "Process", "ar": "العملية", "fa": "فرایند", "zh": "流程", "pl": "Proces", "nl": "Proces"}', 4),
  ('process.design', 'process', 'Process design', '{"en": "Process design", "ar": "تصميم العملية", "fa": "طراحی فرایند", "zh": "流程设计", "pl": "Projekt procesu", "nl": "Procesontwerp"}', 5),
  ('process.handoff', 'process', 'Hand-off between teams', '{"en": "Hand-off between teams", "ar": "التسليم بين الفرق", "fa": "تحویل کار میان تیم‌ها", "zh": "团队间交接", "pl": "Przekazanie między zespołami", "nl": "Overdracht tussen teams"}', 6),
  ('process.delay', 'process', 'Backlog or delay', '{"en": "Backlog or delay", "ar": "تراكم أو تأخير", "fa": "انباشت کار یا تأخیر", "zh": "积压或延误", "pl": "Zaległości lub opóźnienie", "nl": "Achterstand of vertraging"}', 7),
  ('product', null, 'Product', '{"en": "Product", "ar": "المنتج", "fa": "محصول", "zh": "产品", "pl": "Produkt", "nl": "Product"}', 8),
  ('product.defect', 'product', 'Product defect', '{"en": "Product defect", "ar": "عيب في المنتج", "fa": "نقص محصول", "zh": "产品缺陷", "pl": "Wada produktu", "nl": "Productfout"}', 9),
  ('product.terms', 'product', 'Unclear terms or pricing', '{"en": "Unclear terms or pricing", "ar": "شروط أو أسعار غير واضحة", "fa": "شرایط یا قیمت‌گذاری نامشخص", "zh": "条款或定价不清", "pl": "Niejasne warunki lub ceny", "nl": "Onduidelijke voorwaarden of prijzen"}', 10),
  ('system', null, 'System', '{"en": "System", "ar": "النظام", "fa": "سامانه", "zh": "系统", "pl": "System", "nl": "Systeem"}', 11),
  ('system.outage', 'system', 'System outage', '{"en": "System outage", "ar": "تعطل النظام", "fa": "قطعی سامانه", "zh": "系统中断", "pl": "Awaria systemu", "nl": "Systeemstoring"}', 12),
  ('system.defect', 'system', 'Software defect', '{"en": "Software defect", "ar": "خلل برمجي", "fa": "نقص نرم‌افزار", "zh": "软件缺陷", "pl": "Błąd oprogramowania", "nl": "Softwarefout"}', 13),
  ('system.data', 'system', 'Incorrect data', '{"en": "Incorrect data", "ar": "بيانات غير صحيحة", "fa": "داده‌های نادرست", "zh": "数据错误", "pl": "Błędne dane", "nl": "Onjuiste gegevens"}', 14),
  ('third_party', null, 'Third party', '{"en": "Third party", "ar": "طرف ثالث", "fa": "شخص ثالث", "zh": "第三方", "pl": "Strona trzecia", "nl": "Derde partij"}', 15),
  ('third_party.supplier', 'third_party', 'Supplier failure', '{"en": "Supplier failure", "ar": "إخفاق المورّد", "fa": "کوتاهی تأمین‌کننده", "zh": "供应商失误", "pl": "Błąd dostawcy", "nl": "Fout van leverancier"}', 16),
  ('third_party.partner', 'third_party', 'Partner or agent', '{"en": "Partner or agent", "ar": "شريك أو وكيل", "fa": "شریک یا نماینده", "zh": "合作方或代理", "pl": "Partner lub pośrednik", "nl": "Partner of tussenpersoon"}', 17),
  ('policy', null, 'Policy', '{"en": "Policy", "ar": "السياسة", "fa": "خط‌مشی", "zh": "政策", "pl": "Polityka", "nl": "Beleid"}', 18),
  ('policy.unclear', 'policy', 'Unclear policy', '{"en": "Unclear policy", "ar": "سياسة غير واضحة", "fa": "خط‌مشی نامشخص", "zh": "政策不明确", "pl": "Niejasna polityka", "nl": "Onduidelijk beleid"}', 19),
  ('policy.unfair', 'policy', 'Policy perceived as unfair', '{"en": "Policy perceived as unfair", "ar": "سياسة تُعدّ غير منصفة", "fa": "خط‌مشی ناعادلانه از نگاه مشتری", "zh": "政策被认为不公平", "pl": "Polityka postrzegana jako niesprawiedliwa", "nl": "Beleid dat als oneerlijk wordt ervaren"}', 20)
;

create index complaints_root_cause_idx on complaints (root_cause) where root_cause is not null;
create index complaints_updated_at_idx on complaints (updated_at, id);

create table capa (
  id uuid primary key,
  seq integer generated always as identity unique,
  title text not null,
  description text not null default '',
  kind text not null check (kind in ('corrective','preventive')),
  root_cause text references root_causes(key),
  category_id uuid references categories(id),
  product_id uuid references products(id),
  owner_id uuid references users(id),
  due_on date,
  status text not null default 'open' check (status in ('open','in_progress','done','verified_effective','ineffective','cancelled')),
  done_at timestamptz,
  verified_at timestamptz,
  verified_by uuid references users(id),
  window_days integer not null default 90 check (window_days between 7 and 730),
  min_drop real not null default 0.3 check (min_drop > 0 and min_drop <= 1),
  version integer not null default 1,
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index capa_status_idx on capa (status);

create table capa_complaints (
  capa_id uuid not null references capa(id),
  complaint_id uuid not null references complaints(id),
  added_by uuid references users(id),
  added_at timestamptz not null default now(),
  primary key (capa_id, complaint_id)
);
create index capa_complaints_complaint_idx on capa_complaints (complaint_id);

create table systemic_rules (
  id uuid primary key,
  name text not null,
  dimension text not null check (dimension in ('category','product','root_cause','text')),
  threshold integer not null check (threshold between 2 and 10000),
  window_days integer not null check (window_days between 1 and 730),
  min_similarity real not null default 0.5 check (min_similarity > 0 and min_similarity <= 1),
  owner_id uuid references users(id),
  team_id uuid references teams(id),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table systemic_issues (
  id uuid primary key,
  seq integer generated always as identity unique,
  rule_id uuid not null references systemic_rules(id),
  signature text not null,
  label text not null,
  status text not null default 'open' check (status in ('open','investigating','closed')),
  owner_id uuid references users(id),
  team_id uuid references teams(id),
  capa_id uuid references capa(id),
  complaint_count integer not null default 0,
  first_at timestamptz not null,
  last_at timestamptz not null,
  raised_at timestamptz not null default now(),
  closed_at timestamptz,
  updated_at timestamptz not null default now()
);
-- Raised once: at most one issue per rule and signature that is not closed.
create unique index systemic_issues_open_once on systemic_issues (rule_id, signature) where status <> 'closed';

create table systemic_issue_complaints (
  issue_id uuid not null references systemic_issues(id),
  complaint_id uuid not null references complaints(id),
  added_at timestamptz not null default now(),
  primary key (issue_id, complaint_id)
);

-- The detection job reschedules itself; this is its first run.
insert into jobs (kind, payload) values ('improvement.systemic_scan', '{}');
`,
    )
    .execute(db);
}
