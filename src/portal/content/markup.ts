import { escapeHtml, trusted, type Html } from '../html.ts';

/**
 * The small markup administrators write the public pages in: paragraphs (blank line between), `## ` and `### `
 * headings, `- ` and `1. ` lists, `**strong**` and `[text](link)` where the link is a path on this site, https,
 * mailto: or tel:. Everything else is text, escaped: no HTML, no script, no attribute can come through.
 */
const SAFE_LINK = /^(\/(?!\/)[^\s]*|https:\/\/[^\s]+|mailto:[^\s]+|tel:[+0-9 ()-]+)$/;

function inline(text: string): string {
  let out = '';
  const pattern = /\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    out += escapeHtml(text.slice(last, m.index));
    if (m[1] !== undefined) out += `<strong>${escapeHtml(m[1])}</strong>`;
    else if (m[2] !== undefined && m[3] !== undefined && SAFE_LINK.test(m[3])) {
      out += `<a href="${escapeHtml(m[3])}">${escapeHtml(m[2])}</a>`;
    } else out += escapeHtml(m[0]);
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** Renders a page body; `headingLevel` is the level of `##` (2 on a page of its own, 3 inside a section). */
export function renderMarkup(source: string, headingLevel = 2): Html {
  const blocks = source.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const out: string[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    let paragraph: string[] = [];
    let list: { tag: 'ul' | 'ol'; items: string[] } | null = null;
    const flush = () => {
      if (paragraph.length) out.push(`<p>${paragraph.map(inline).join(' ')}</p>`);
      paragraph = [];
      if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`);
      list = null;
    };
    for (const raw of lines) {
      const line = raw.trim();
      const heading = /^(#{2,3})\s+(.*)$/.exec(line);
      const bullet = /^[-*]\s+(.*)$/.exec(line);
      const numbered = /^\d+[.)]\s+(.*)$/.exec(line);
      if (heading) {
        flush();
        const level = Math.min(6, headingLevel + (heading[1]!.length - 2));
        out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
      } else if (bullet || numbered) {
        const tag = bullet ? 'ul' : 'ol';
        if (paragraph.length || (list && list.tag !== tag)) flush();
        list ??= { tag, items: [] };
        list.items.push((bullet ?? numbered)![1]!);
      } else {
        if (list) flush();
        paragraph.push(line);
      }
    }
    flush();
  }
  return trusted(out.join('\n'));
}
