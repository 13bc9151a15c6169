import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';
import {
  CFPB_HEADERS,
  categoryPath,
  cfpbPreset,
  cfpbResolution,
  mapRecord,
  matchHeader,
  presetMappingSchema,
  type MapResult,
  type RowContext,
} from './presets.ts';

const header = [...CFPB_HEADERS];
const ctx = (): RowContext => ({
  header: matchHeader(header, cfpbPreset.mapping)!,
  fieldCount: 18,
  preset: cfpbPreset,
});

function row(overrides: Partial<Record<(typeof CFPB_HEADERS)[number], string>> = {}): string[] {
  const base: Record<string, string> = {
    'Date received': '2020-03-18',
    Product: 'Debt collection',
    'Sub-product': 'I do not know',
    Issue: 'Attempts to collect debt not owed',
    'Sub-issue': 'Debt is not yours',
    'Consumer complaint narrative': 'They charged me {$21.00} for XXXX.',
    'Company public response': '',
    Company: 'TRANSWORLD SYSTEMS INC',
    State: 'MA',
    'ZIP code': '2134',
    Tags: 'Older American',
    'Consumer consent provided?': 'Consent provided',
    'Submitted via': 'Web',
    'Date sent to company': '2020-03-20',
    'Company response to consumer': 'Closed with monetary relief',
    'Timely response?': 'Yes',
    'Consumer disputed?': 'N/A',
    'Complaint ID': '3384392',
    ...overrides,
  };
  return header.map((h) => base[h]!);
}

const map = (fields: string[], line = 2): MapResult =>
  mapRecord({ line, fields, raw: fields.join(',') }, ctx());

describe('the cfpb preset', () => {
  it('finds its header (in any case, with a BOM), and no header without its required columns', () => {
    expect(
      matchHeader(
        ['\ufeffDate Received', ...header.slice(1).map((h) => h.toUpperCase())],
        cfpbPreset.mapping,
      ),
    ).not.toBeNull();
    expect(matchHeader(header.slice(1), cfpbPreset.mapping)).toBeNull();
  });

  it('reads the API export\'s snake_case names and a file trimmed to fewer columns', () => {
    const api = ['date_received', 'product', 'sub_product', 'issue', 'sub_issue', 'complaint_what_happened', 'company', 'state', 'zip_code', 'submitted_via', 'company_response', 'timely', 'complaint_id'];
    const index = matchHeader(api, cfpbPreset.mapping)!;
    expect(index).not.toBeNull();
    const fields = ['2020-03-18', 'Credit card', 'General-purpose card', 'Billing disputes', '', 'They charged me twice.', 'Acme Bank', 'MA', '2134', 'Web', 'Closed with monetary relief', 'Yes', '777'];
    const result = mapRecord({ line: 2, fields, raw: fields.join(',') }, { header: index, fieldCount: api.length, preset: cfpbPreset });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.complaint).toMatchObject({ sourceId: '777', description: 'They charged me twice.', channel: 'web', state: 'closed', outcome: 'upheld' });
    expect(result.complaint.external).toMatchObject({ company: 'Acme Bank', zip: '02134', timely: true, companyResponse: 'Closed with monetary relief', tags: null });
    // without a required column there is no header
    expect(matchHeader(api.filter((h) => h !== 'complaint_id'), cfpbPreset.mapping)).toBeNull();
  });

  it('maps a full row', () => {
    const result = map(row());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const c = result.complaint;
    expect(c).toMatchObject({
      sourceId: '3384392',
      channel: 'web',
      state: 'closed',
      outcome: 'upheld',
      remedy: { key: 'cfpb.monetary-relief', monetary: true },
      language: 'en',
      description: 'They charged me {$21.00} for XXXX.',
      reasons: 'Closed with monetary relief',
    });
    expect(c.receivedAt.toISOString()).toBe('2020-03-18T12:00:00.000Z');
    expect(c.closedAt?.toISOString()).toBe('2020-03-20T12:00:00.000Z');
    expect(c.acknowledgedAt?.toISOString()).toBe('2020-03-20T12:00:00.000Z');
    expect(c.categoryPath.map((p) => p.key)).toEqual([
      'cfpb',
      'cfpb.debt-collection',
      'cfpb.debt-collection.i-do-not-know',
      'cfpb.debt-collection.i-do-not-know.attempts-to-c-' + c.categoryPath[3]!.key.slice(-6),
      c.categoryPath[4]!.key,
    ]);
    expect(c.categoryPath.at(-1)!.name).toBe('Debt is not yours');
    expect(c.product).toEqual({ key: 'cfpb.debt-collection', name: 'Debt collection' });
    expect(c.external).toMatchObject({
      company: 'TRANSWORLD SYSTEMS INC',
      state: 'MA',
      zip: '02134',
      zipAsWritten: '2134',
      tags: 'Older American',
      consent: 'Consent provided',
      timely: true,
      disputed: null,
      dateSentToCompany: '2020-03-20',
      subProduct: 'I do not know',
      subIssue: 'Debt is not yours',
      companyResponse: 'Closed with monetary relief',
      amounts: [21],
    });
  });

  it('maps every channel of the export', () => {
    const channelOf = (via: string) => {
      const r = map(row({ 'Submitted via': via }));
      return r.ok ? r.complaint.channel : null;
    };
    expect(
      ['Web', 'Email', 'Phone', 'Postal mail', 'Fax', 'Referral', 'web', 'Carrier pigeon'].map(channelOf),
    ).toEqual(['web', 'email', 'phone', 'letter', 'fax', 'referral', 'web', 'import']);
  });

  it('maps the company responses to states and outcomes', () => {
    expect(cfpbResolution('Closed with non-monetary relief')).toMatchObject({
      state: 'closed',
      outcome: 'partly_upheld',
    });
    expect(cfpbResolution('Closed with relief')).toMatchObject({ state: 'closed', outcome: 'upheld' });
    for (const r of ['Closed with explanation', 'Closed', 'Closed without relief']) {
      expect(cfpbResolution(r)).toMatchObject({ state: 'closed', outcome: 'not_upheld', remedy: null });
    }
    expect(cfpbResolution('In progress')).toMatchObject({ state: 'acknowledged', outcome: null });
    expect(cfpbResolution('Untimely response')).toMatchObject({
      state: 'closed',
      outcome: null,
      closureReason: 'untimely_response',
    });
    expect(cfpbResolution('')).toMatchObject({ state: 'received', outcome: null });
    const open = map(row({ 'Company response to consumer': 'In progress' }));
    expect(open.ok && [open.complaint.closedAt, open.complaint.sentAt]).toEqual([null, null]);
  });

  it('writes a placeholder description when there is no narrative', () => {
    const r = map(row({ 'Consumer complaint narrative': '' }));
    expect(r.ok && r.complaint.description).toBe(
      'No narrative was published with this complaint (Attempts to collect debt not owed — Debt is not yours).',
    );
  });

  it('reads other date formats and never acknowledges before receipt', () => {
    const r = map(row({ 'Date received': '03/18/2020', 'Date sent to company': '18.03.2020' }));
    expect(r.ok && r.complaint.receivedAt.toISOString().slice(0, 10)).toBe('2020-03-18');
    const early = map(row({ 'Date sent to company': '2020-03-01' }));
    expect(early.ok && early.complaint.acknowledgedAt?.toISOString().slice(0, 10)).toBe('2020-03-18');
  });

  it('rejects bad rows with the reason and the line', () => {
    expect(map([...row(), 'extra'], 7)).toEqual({
      ok: false,
      line: 7,
      sourceId: null,
      reason: 'expected 18 fields, found 19',
    });
    expect(map(row().slice(0, 17))).toMatchObject({ ok: false, reason: 'expected 18 fields, found 17' });
    expect(map(row({ 'Date received': '2020-13-45' }))).toMatchObject({
      ok: false,
      sourceId: '3384392',
      reason: 'Date received "2020-13-45" is not a date',
    });
    expect(map(row({ 'Date sent to company': 'soon' }))).toMatchObject({
      ok: false,
      reason: 'Date sent to company "soon" is not a date',
    });
    expect(map(row({ 'Complaint ID': ' ' }))).toMatchObject({ ok: false, reason: 'Complaint ID is empty' });
    expect(
      mapRecord({ line: 3, fields: ['x'], raw: '"x', error: 'unterminated quoted field' }, ctx()),
    ).toMatchObject({
      ok: false,
      line: 3,
      reason: 'unterminated quoted field',
    });
  });

  it('works on a parsed real-looking file', () => {
    const text = `${header.join(',')}\r\n2019-09-24,Debt collection,I do not know,Attempts to collect debt not owed,Debt is not yours,"transworld systems inc. \nis trying to collect a debt that is not mine, ""not owed"".",,TRANSWORLD SYSTEMS INC,FL,335XX,,Consent provided,Web,2019-09-24,Closed with explanation,Yes,N/A,3384392\r\n`;
    const [h, r] = parseCsv(text);
    const c = {
      header: matchHeader(h!.fields, cfpbPreset.mapping)!,
      fieldCount: h!.fields.length,
      preset: cfpbPreset,
    };
    const m = mapRecord(r!, c);
    expect(m.ok && m.complaint.description).toBe(
      'transworld systems inc. \nis trying to collect a debt that is not mine, "not owed".',
    );
    expect(m.ok && m.complaint.external.zip).toBe('335XX');
  });
});

describe('column presets', () => {
  const mapping = presetMappingSchema.parse({
    kind: 'columns',
    dateOrders: ['dmy'],
    language: 'nl',
    columns: {
      sourceId: 'Nr',
      receivedAt: 'Datum',
      description: 'Omschrijving',
      category: 'Soort',
      closedAt: 'Gesloten',
      channel: 'Kanaal',
      outcome: 'Uitkomst',
    },
    channelMap: { Brief: 'letter' },
    outcomeMap: { Gegrond: 'upheld' },
  });
  const h = ['Nr', 'Datum', 'Omschrijving', 'Soort', 'Gesloten', 'Kanaal', 'Uitkomst', 'Regio'];
  const c: RowContext = {
    header: matchHeader(h, mapping)!,
    fieldCount: h.length,
    preset: { name: 'gemeente', mapping },
  };

  it('maps the named columns and keeps the others as external fields', () => {
    const r = mapRecord(
      {
        line: 2,
        fields: ['17', '03.04.2020', '', 'Afval', '10.04.2020', 'Brief', 'Gegrond', 'Noord'],
        raw: '',
      },
      c,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.complaint).toMatchObject({
      sourceId: '17',
      channel: 'letter',
      state: 'closed',
      outcome: 'upheld',
      language: 'nl',
    });
    expect(r.complaint.receivedAt.toISOString().slice(0, 10)).toBe('2020-04-03');
    expect(r.complaint.description).toBe('Bij deze klacht is geen toelichting gepubliceerd (Afval).');
    expect(r.complaint.external).toEqual({ source: 'gemeente', regio: 'Noord' });
    expect(r.complaint.categoryPath.map((p) => p.key)).toEqual(['gemeente', 'gemeente.afval']);
  });

  it('needs its columns', () => {
    expect(presetMappingSchema.safeParse({ kind: 'columns' }).success).toBe(false);
    expect(matchHeader(['Nr', 'Datum'], mapping)).toBeNull();
  });

  it('builds category paths that stop at the first empty level', () => {
    expect(categoryPath('r', 'R', ['A', '', 'C']).map((p) => p.key)).toEqual(['r', 'r.a']);
    expect(categoryPath('r', 'R', [])).toEqual([]);
  });
});
