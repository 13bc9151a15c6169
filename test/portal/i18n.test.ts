import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChallengeIssuer, leadingZeroBits, solveChallenge } from '../../src/portal/challenge.ts';
import { checkMessages } from '../../src/portal/i18n-check.ts';
import { formatters, translator } from '../../src/portal/i18n.ts';

describe('messages in six languages (I18N-1, I18N-3)', () => {
  it('has every key in every language, valid ICU, the same placeholders, none unused', () => {
    const result = checkMessages();
    expect(result.problems).toEqual([]);
    expect(result.languages).toBe(6);
    expect(result.keys).toBeGreaterThan(200);
  });

  it('npm run i18n:check passes', () => {
    const run = spawnSync('npm', ['run', '-s', 'i18n:check'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/none missing, none unused/);
  });

  it('reports a missing key, an unknown key, an unused key, a placeholder mismatch and broken ICU', () => {
    const dir = mkdtempSync(join(tmpdir(), 'i18n-'));
    try {
      mkdirSync(join(dir, 'locales'));
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src', 'page.ts'), "t('a.used'); t('a.other'); t('a.count'); t('a.absent');");
      const write = (lang: string, messages: Record<string, string>) => writeFileSync(join(dir, 'locales', `${lang}.json`), JSON.stringify(messages));
      write('en', { 'a.used': 'Hello {name}', 'a.other': 'Other', 'a.count': '{n, plural, one {# file} other {# files}}', 'a.unused': 'Never shown' });
      write('pl', { 'a.used': 'Cześć {imie}', 'a.count': '{n, plural, one {# plik} other {# plików}', 'a.unused': 'x', 'a.extra': 'y' });
      const { problems } = checkMessages({ localesDir: join(dir, 'locales'), sourceDir: join(dir, 'src'), languages: ['en', 'pl'] });
      expect(problems).toEqual(
        expect.arrayContaining([
          'pl: missing key "a.other"',
          'pl: unknown key "a.extra" (not in en.json)',
          expect.stringContaining('pl: "a.used" has placeholders {imie}'),
          expect.stringContaining('pl: "a.count" is not valid ICU MessageFormat'),
          'en: unused key "a.unused"',
          'code uses "a.absent", which is in no message file',
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('formats plurals, dates and numbers in each language\'s own way', () => {
    expect(translator('ar')('errors.summary_title', { count: 2 })).toBe('توجد مشكلتان');
    expect(translator('pl')('errors.summary_title', { count: 5 })).toBe('Jest 5 problemów');
    const day = new Date('2026-03-27T12:00:00Z');
    expect(formatters('fa', 'UTC').date(day)).toMatch(/۱۴۰۵/); // the Persian (Solar Hijri) calendar, Persian digits
    expect(formatters('zh', 'UTC').date(day)).toBe('2026年3月27日');
    expect(formatters('nl', 'UTC').money(1234.5)).toBe('1.234,50');
  });
});

describe('the submission challenge (INT-8)', () => {
  const issuer = new ChallengeIssuer(async () => Buffer.alloc(32, 7), { bits: 10, waitSeconds: 20, lifetimeMs: 3_600_000 });

  it('accepts a solved challenge once, for its own address only', async () => {
    const now = Date.now();
    const token = await issuer.issue('10.0.0.1', now);
    const solution = solveChallenge(token, 10);
    expect(await issuer.verify('10.0.0.2', token, solution, now)).toBe('invalid');
    expect(await issuer.verify('10.0.0.1', token, String(Number(solution) + 1), now + 1000)).toMatch(/unsolved|ok/);
    const again = await issuer.issue('10.0.0.1', now);
    expect(await issuer.verify('10.0.0.1', again, solveChallenge(again, 10), now)).toBe('ok');
    expect(await issuer.verify('10.0.0.1', again, solveChallenge(again, 10), now)).toBe('used');
    expect(await issuer.verify('10.0.0.1', `${again}x`, '1', now)).toBe('invalid');
  });

  it('without JavaScript, counts as met once the form has been open long enough', async () => {
    const now = Date.now();
    const token = await issuer.issue('10.0.0.3', now);
    expect(await issuer.verify('10.0.0.3', token, '', now + 5_000)).toBe('unsolved');
    expect(await issuer.verify('10.0.0.3', token, '', now + 21_000)).toBe('ok');
    expect(await issuer.verify('10.0.0.3', token, '', now + 7_200_000)).toBe('invalid');
  });

  it('counts leading zero bits', () => {
    expect(leadingZeroBits(Buffer.from([0, 0, 0x10, 0xff]))).toBe(19);
    expect(leadingZeroBits(Buffer.from([0x80]))).toBe(0);
  });
});

describe('the browser\'s proof-of-work solver', () => {
  it('computes the same SHA-256 as the server, so what the page finds the server accepts', async () => {
    const { createHash } = await import('node:crypto');
    const { portalScript } = await import('../../src/portal/assets/portal-script.ts');
    const constants = portalScript.match(/var K = \[[\s\S]*?\];/)![0];
    const body = portalScript.match(/function firstWord[\s\S]*?return h0 >>> 0;\n {2}}/)![0];
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the page's own function, on purpose
    const firstWord = new Function(`${constants}\nvar W = new Int32Array(64);\n${body}\nreturn firstWord;`)() as (s: string) => number;
    for (const text of ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(119), 'eyJuIjoiYWJjIn0.c2ln:123456']) {
      expect(firstWord(text)).toBe(createHash('sha256').update(text).digest().readUInt32BE(0));
    }
  });
});
