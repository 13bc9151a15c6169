import type { Language } from '../../shared/vocabulary.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', euro: '€', pound: '£', hellip: '…', ndash: '–', mdash: '—', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“' };

/** Plain text from an HTML body (for messages that have no text part): blocks become lines, tags and scripts go. */
export function htmlToText(html: string): string {
  return html
    .slice(0, 4 * 1024 * 1024)
    .replace(/<(script|style|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\/\s*(p|div|li|tr|h[1-6]|blockquote|pre|table|section|article)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The new part of a reply: the quoted history below "On … wrote:" / "-----Original Message-----" and trailing
 * `>` lines are cut. When nothing would be left, the whole text is kept.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (/^-{2,}\s*(original message|oorspronkelijk bericht|wiadomość oryginalna|الرسالة الأصلية|پیام اصلی|原始邮件)\s*-{2,}$/i.test(l) || (/^(on|op|w dniu|在)\b.*(wrote|schreef|napisał|写道)[:：]?$/i.test(l) && i > 0)) {
      end = i;
      break;
    }
  }
  while (end > 0 && (lines[end - 1]!.startsWith('>') || lines[end - 1]!.trim() === '')) end--;
  const kept = lines.slice(0, end).join('\n').trim();
  return kept || text.trim();
}

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

const WORDS: Record<'en' | 'nl' | 'pl', Set<string>> = {
  en: new Set('the and is was my i to of in that it for not have with you this on are be'.split(' ')),
  nl: new Set('de het een en is ik niet van dat mijn op te voor met zijn heb er maar ook wij u'.split(' ')),
  pl: new Set('i w nie na się że jest z do to mój moja moje jak o ale za od po już mi'.split(' ')),
};

/** The language of a message, by script and common words (good enough to choose the reply language). */
export function detectLanguage(text: string): Language {
  const s = text.slice(0, 5000);
  const letters = count(s, /\p{L}/gu) || 1;
  const arabic = count(s, /\p{Script=Arabic}/gu);
  if (arabic / letters > 0.3) {
    const persian = count(s, /[پچژگی]/g);
    const arabicOnly = count(s, /[ةيى]/g);
    return persian > arabicOnly ? 'fa' : 'ar';
  }
  if (count(s, /\p{Script=Han}/gu) / letters > 0.2) return 'zh';
  const words = s.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
  const score = { en: 0, nl: 0, pl: 0 };
  for (const w of words) for (const l of ['en', 'nl', 'pl'] as const) if (WORDS[l].has(w)) score[l]++;
  score.pl += 2 * count(s, /[ąćęłńśźż]/gi);
  const best = (['en', 'nl', 'pl'] as const).reduce((a, b) => (score[b] > score[a] ? b : a));
  return score[best] > 0 ? best : 'en';
}
