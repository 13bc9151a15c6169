/**
 * Synthetic files in the CFPB Consumer Complaint Database export format (18 columns), deterministic by seed, for
 * tests and the benchmark. Narratives are English with `XXXX` redactions, `{$21.00}` money tokens, embedded newlines
 * and quotes; every messy case the import must survive can be switched on: preamble lines before the header, other
 * encodings (UTF-16, Windows-1252/1250/1256, GB18030), date formats, ZIP codes that lost their leading zero, CRLF or
 * LF, a trailing empty line, and bad rows (too many or too few fields, a bad date, no id, an unterminated quote).
 * The result says what the import should make of it: counts by channel, product and company response, and the line
 * of every bad row.
 */
import { CFPB_HEADERS } from './presets.ts';
import { encodeText, type Encoding } from './encoding.ts';
import { csvLine } from './csv.ts';
import { prng } from '../shared/prng.ts';

export type DateFormat = 'iso' | 'ymd-slash' | 'mdy' | 'mdy-short' | 'dmy-dot';
export type BadRowKind = 'too_many_fields' | 'too_few_fields' | 'bad_date' | 'no_id' | 'unterminated_quote';

export interface GenerateOptions {
  rows: number;
  seed?: number;
  /** First Complaint ID (ids are consecutive). */
  firstId?: number;
  /** Lines of text before the header row. */
  preamble?: number;
  encoding?: Encoding;
  /** Write a byte-order mark (default: for UTF-16 only). */
  bom?: boolean;
  dateFormat?: DateFormat;
  lineEnding?: '\r\n' | '\n';
  trailingEmptyLine?: boolean;
  /** Write some ZIP codes of states with a leading 0 (MA, NJ, CT …) without it. */
  lostZipZeros?: boolean;
  /** Share of rows with a narrative (default 0.25). */
  narrativeRate?: number;
  /** Bad rows, spread through the file (the last one is at the end when it is an unterminated quote). */
  badRows?: BadRowKind[];
}

export interface Generated {
  text: string;
  bytes: Uint8Array;
  /** Good rows (those the import should import). */
  good: number;
  /** Where the bad rows are (the line of their first physical line) and what they are. */
  bad: Array<{ line: number; kind: BadRowKind; sourceId: string }>;
  byChannel: Record<string, number>;
  byProduct: Record<string, number>;
  byResponse: Record<string, number>;
  /** Source ids of the good rows, in order. */
  ids: string[];
  /** Line of the header row. */
  headerLine: number;
}


const PRODUCTS: ReadonlyArray<{ product: string; subs: string[]; issues: Array<[string, string[]]> }> = [
  {
    product: 'Credit reporting, credit repair services, or other personal consumer reports',
    subs: ['Credit reporting', 'Other personal consumer report'],
    issues: [
      [
        'Incorrect information on your report',
        ['Information belongs to someone else', 'Account status incorrect'],
      ],
      [
        "Problem with a credit reporting company's investigation into an existing problem",
        ['Their investigation did not fix an error on your report'],
      ],
    ],
  },
  {
    product: 'Debt collection',
    subs: ['I do not know', 'Medical debt', 'Credit card debt'],
    issues: [
      ['Attempts to collect debt not owed', ['Debt is not yours', 'Debt was paid']],
      ['Written notification about debt', ["Didn't receive enough information to verify debt"]],
    ],
  },
  {
    product: 'Mortgage',
    subs: ['Conventional home mortgage', 'FHA mortgage'],
    issues: [
      ['Trouble during payment process', []],
      ['Struggling to pay mortgage', []],
    ],
  },
  {
    product: 'Credit card or prepaid card',
    subs: ['General-purpose credit card or charge card'],
    issues: [
      [
        'Problem with a purchase shown on your statement',
        ["Credit card company isn't resolving a dispute about a purchase on your statement"],
      ],
    ],
  },
  {
    product: 'Checking or savings account',
    subs: ['Checking account', 'Savings account'],
    issues: [
      ['Managing an account', ['Deposits and withdrawals', 'Banking errors']],
      ['Closing an account', []],
    ],
  },
  {
    product: 'Student loan',
    subs: ['Federal student loan servicing'],
    issues: [['Dealing with your lender or servicer', ['Trouble with how payments are being handled']]],
  },
  { product: 'Vehicle loan or lease', subs: ['Loan'], issues: [['Managing the loan or lease', []]] },
  {
    product: 'Credit card',
    subs: [''],
    issues: [
      ['Billing disputes', []],
      ['Identity theft / Fraud / Embezzlement', []],
    ],
  },
  { product: 'Payday loan', subs: [''], issues: [["Charged fees or interest I didn't expect", []]] },
  {
    product: 'Money transfer, virtual currency, or money service',
    subs: ['Domestic (US) money transfer'],
    issues: [['Fraud or scam', []]],
  },
];

const COMPANIES = [
  'EQUIFAX, INC.',
  'Experian Information Solutions Inc.',
  'TRANSUNION INTERMEDIATE HOLDINGS, INC.',
  'BANK OF AMERICA, NATIONAL ASSOCIATION',
  'WELLS FARGO & COMPANY',
  'Navient Solutions, LLC.',
  'The "Best" Lending Co',
  'CAPITAL ONE FINANCIAL CORPORATION',
];

const CHANNELS: Array<[string, number]> = [
  ['Web', 0.7],
  ['Referral', 0.1],
  ['Phone', 0.08],
  ['Postal mail', 0.06],
  ['Fax', 0.04],
  ['Email', 0.02],
];

const RESPONSES: Array<[string, number]> = [
  ['Closed with explanation', 0.6],
  ['Closed with non-monetary relief', 0.15],
  ['Closed with monetary relief', 0.08],
  ['In progress', 0.05],
  ['Closed', 0.04],
  ['Untimely response', 0.03],
  ['Closed with relief', 0.03],
  ['Closed without relief', 0.02],
];

const STATES: Array<[string, string]> = [
  ['FL', '33012'],
  ['CA', '90210'],
  ['TX', '75001'],
  ['NY', '10001'],
  ['MA', '02134'],
  ['NJ', '07030'],
  ['CT', '06103'],
  ['PA', '15206'],
  ['GA', '303XX'],
  ['', ''],
];

const TAGS = ['', '', '', '', 'Older American', 'Servicemember', 'Older American, Servicemember'];
const CONSENT = ['Consent provided', 'Consent not provided', 'Other', 'N/A', ''];

/** Words in each legacy encoding's script, so that detection has something to detect. */
const SCRIPT_WORDS: Partial<Record<Encoding, string[]>> = {
  'windows-1252': ['café', 'déjà vu', 'naïve', 'Müller', 'señor', 'façade', 'résumé', 'Ångström'],
  'windows-1250': ['zażółć', 'gęślą', 'jaźń', 'Łódź', 'Świętokrzyskie', 'pożyczka', 'ściągnięto'],
  'windows-1256': ['شكوى', 'البنك', 'الرسوم', 'حساب', 'مبلغ'],
  gb18030: ['投诉', '银行', '信用卡', '费用', '账户', '退款'],
  'utf-16le': ['café', '投诉', 'شكوى', 'zażółć'],
  'utf-16be': ['café', '投诉', 'شكوى', 'zażółć'],
};

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function weighted(rand: () => number, items: ReadonlyArray<[string, number]>): string {
  let x = rand();
  for (const [v, w] of items) {
    if ((x -= w) < 0) return v;
  }
  return items[0]![0];
}

function formatDate(d: Date, format: DateFormat): string {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const p = (n: number) => String(n).padStart(2, '0');
  switch (format) {
    case 'iso':
      return `${y}-${p(m)}-${p(day)}`;
    case 'ymd-slash':
      return `${y}/${m}/${day}`;
    case 'mdy':
      return `${p(m)}/${p(day)}/${y}`;
    case 'mdy-short':
      return `${m}/${day}/${String(y).slice(2)}`;
    case 'dmy-dot':
      return `${p(day)}.${p(m)}.${y}`;
  }
}

const SENTENCES = [
  'I have contacted XXXX several times about this account and nobody has called me back.',
  'On XX/XX/XXXX I was charged {$21.00} in fees that I never agreed to.',
  'They said the "verification" was complete, but the debt is still on my report.',
  'I paid {$1,250.00} on XX/XX/2019 and the payment was never applied.',
  'The representative told me to "just wait" and hung up.',
  'This is not my account and I have never done business with XXXX XXXX.',
  'My credit score dropped by 80 points because of this error.',
  'I sent a letter with all my documents by certified mail.',
];

/** The narrative of one row: a few sentences, sometimes over several lines, sometimes with script words. */
function narrative(rand: () => number, words: readonly string[] | undefined): string {
  const n = 1 + Math.floor(rand() * 4);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = pick(rand, SENTENCES);
    if (words && rand() < 0.7) s += ` ${pick(rand, words)}.`;
    parts.push(s);
  }
  return parts.join(rand() < 0.4 ? '\n' : rand() < 0.5 ? '\n\n' : ' ');
}

/** One good row's 18 fields (and what it should count as). */
export function cfpbRow(
  rand: () => number,
  id: number,
  options: Pick<GenerateOptions, 'dateFormat' | 'lostZipZeros' | 'narrativeRate' | 'encoding'> = {},
): { fields: string[]; channel: string; product: string; response: string } {
  const p = pick(rand, PRODUCTS);
  const [issue, subIssues] = pick(rand, p.issues);
  const received = new Date(Date.UTC(2015, 0, 1) + Math.floor(rand() * 2000) * 86_400_000);
  const sent = new Date(received.getTime() + Math.floor(rand() * 3) * 86_400_000);
  const [state, zip] = pick(rand, STATES);
  const channel = weighted(rand, CHANNELS);
  const response = weighted(rand, RESPONSES);
  const format = options.dateFormat ?? 'iso';
  const lostZero = options.lostZipZeros && zip.startsWith('0') && rand() < 0.8 ? zip.replace(/^0+/, '') : zip;
  const fields = [
    formatDate(received, format),
    p.product,
    pick(rand, p.subs),
    issue,
    subIssues.length ? pick(rand, subIssues) : '',
    rand() < (options.narrativeRate ?? 0.25)
      ? narrative(rand, SCRIPT_WORDS[options.encoding ?? 'utf-8'])
      : '',
    rand() < 0.5
      ? 'Company has responded to the consumer and the CFPB and chooses not to provide a public response'
      : '',
    pick(rand, COMPANIES),
    state,
    lostZero,
    pick(rand, TAGS),
    pick(rand, CONSENT),
    channel,
    formatDate(sent, format),
    response,
    rand() < 0.97 ? 'Yes' : 'No',
    pick(rand, ['N/A', 'No', 'Yes', '']),
    String(id),
  ];
  return { fields, channel, product: p.product, response };
}

const linesIn = (s: string) => (s.match(/\r\n|\r|\n/g) ?? []).length;

export function generateCfpb(options: GenerateOptions): Generated {
  const rand = prng(options.seed ?? 1);
  const eol = options.lineEnding ?? '\r\n';
  const encoding = options.encoding ?? 'utf-8';
  const out: string[] = [];
  let line = 1;
  const push = (record: string) => {
    out.push(record + eol);
    line += linesIn(record) + 1;
  };
  for (let i = 0; i < (options.preamble ?? 0); i++) {
    push(
      i === 0
        ? 'Consumer Complaint Database export'
        : i === 1
          ? `Generated ${new Date(Date.UTC(2020, 5, 1)).toISOString().slice(0, 10)}, seed ${options.seed ?? 1}`
          : '',
    );
  }
  const headerLine = line;
  push(CFPB_HEADERS.join(','));
  const result: Generated = {
    text: '',
    bytes: new Uint8Array(),
    good: 0,
    bad: [],
    byChannel: {},
    byProduct: {},
    byResponse: {},
    ids: [],
    headerLine,
  };
  const bad = [...(options.badRows ?? [])];
  const unterminated = bad.includes('unterminated_quote');
  const spread = bad.filter((b) => b !== 'unterminated_quote');
  const every = spread.length ? Math.max(1, Math.floor(options.rows / (spread.length + 1))) : Infinity;
  let id = options.firstId ?? 1_000_000;
  for (let i = 0; i < options.rows; i++) {
    const row = cfpbRow(rand, id, { ...options, encoding });
    const badIndex = (i + 1) % every === 0 ? (i + 1) / every - 1 : -1;
    const kind = badIndex >= 0 ? spread[badIndex] : undefined;
    if (kind) {
      const f = [...row.fields];
      if (kind === 'too_many_fields') f.push('extra');
      else if (kind === 'too_few_fields') f.splice(10, 2);
      else if (kind === 'bad_date') f[0] = '2020-13-45';
      else if (kind === 'no_id') f[17] = '';
      result.bad.push({ line, kind, sourceId: kind === 'no_id' ? '' : String(id) });
      push(csvLine(f));
    } else {
      result.good++;
      result.ids.push(String(id));
      result.byChannel[row.channel] = (result.byChannel[row.channel] ?? 0) + 1;
      result.byProduct[row.product] = (result.byProduct[row.product] ?? 0) + 1;
      result.byResponse[row.response] = (result.byResponse[row.response] ?? 0) + 1;
      push(csvLine(row.fields));
    }
    id++;
  }
  if (unterminated) {
    // No other quote in the row: the opening one runs to the end of the file.
    const f = cfpbRow(rand, id, { ...options, encoding }).fields.map((x) => x.replaceAll('"', ''));
    result.bad.push({ line, kind: 'unterminated_quote', sourceId: String(id) });
    f[5] = `"This narrative never ends, ${f[5]}`;
    out.push(f.join(','));
  }
  if (options.trailingEmptyLine) out.push(eol);
  result.text = out.join('');
  result.bytes = encodeText(result.text, encoding, options.bom ?? encoding.startsWith('utf-16'));
  return result;
}
