import { html, type Html } from './html.ts';
import { renderMarkup } from './content/markup.ts';
import type { PageKey } from './content/defaults.ts';
import { processDiagram } from './ui/stages.ts';
import type { View } from './ui/view.ts';

type Content = { title: string; body: string };

/** The home page (PORT-5): what this is, the two things people come to do, the ways to complain, where to read more. */
export function homePage(v: View, home: Content, ways: Content): { title: string; body: Html } {
  return {
    title: home.title,
    body: html`<h1>${home.title}</h1>
<div class="lead">${renderMarkup(home.body)}</div>
<ul class="cards">
<li class="card"><h2><a href="/submit">${v.t('home.submit.title')}</a></h2><p>${v.t('home.submit.text')}</p></li>
<li class="card"><h2><a href="/track">${v.t('home.track.title')}</a></h2><p>${v.t('home.track.text')}</p></li>
</ul>
<section aria-labelledby="ways-title">
<h2 id="ways-title">${ways.title}</h2>
${renderMarkup(ways.body, 3)}
</section>
<section aria-labelledby="more-title">
<h2 id="more-title">${v.t('home.more.title')}</h2>
<ul class="link-list">
<li><a href="/policy">${v.t('nav.policy')}</a></li>
<li><a href="/process">${v.t('nav.process')}</a></li>
<li><a href="/commitments">${v.t('nav.commitments')}</a></li>
<li><a href="/escalation">${v.t('nav.escalation')}</a></li>
</ul>
</section>`,
  };
}

/** One of the administrator-edited pages; the process page adds the diagram. */
export function contentPage(v: View, key: PageKey, content: Content): { title: string; body: Html } {
  return {
    title: content.title,
    body: html`<h1>${content.title}</h1>
${renderMarkup(content.body)}
${key === 'process' ? processDiagram(v) : ''}
${key === 'escalation' || key === 'commitments' ? '' : html`<p class="next-link"><a href="/submit">${v.t('home.submit.title')}</a></p>`}`,
  };
}

export function notFoundPage(v: View): { title: string; body: Html } {
  return {
    title: v.t('notfound.title'),
    body: html`<h1>${v.t('notfound.title')}</h1>
<p>${v.t('notfound.text')}</p>
<ul class="link-list"><li><a href="/">${v.t('nav.home')}</a></li><li><a href="/submit">${v.t('nav.submit')}</a></li><li><a href="/track">${v.t('nav.track')}</a></li></ul>`,
  };
}

export function errorPage(v: View, kind: 'bad_request' | 'too_large' | 'internal' | 'forbidden'): { title: string; body: Html } {
  const keys = {
    bad_request: ['error.bad_request.title', 'error.bad_request.text'],
    too_large: ['error.too_large.title', 'error.too_large.text'],
    internal: ['error.internal.title', 'error.internal.text'],
    forbidden: ['error.forbidden.title', 'error.forbidden.text'],
  } as const;
  const [title, text] = keys[kind];
  return {
    title: v.t(title),
    body: html`<h1>${v.t(title)}</h1><p>${v.t(text)}</p><p><a href="/">${v.t('nav.home')}</a></p>`,
  };
}
