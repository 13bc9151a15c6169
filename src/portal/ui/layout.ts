import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { languages } from '../../shared/vocabulary.ts';
import { portalScript } from '../assets/portal-script.ts';
import { autonyms } from '../i18n.ts';
import { html, type Html } from '../html.ts';
import type { Errors, View } from './view.ts';

const version = (content: string | Buffer) => createHash('sha256').update(content).digest('hex').slice(0, 12);
const cssHref = `/portal/assets/portal.css?v=${version(readFileSync(new URL('../assets/portal.css', import.meta.url)))}`;
const jsHref = `/portal/assets/portal.js?v=${version(portalScript)}`;

export type Section = 'home' | 'submit' | 'track' | 'policy' | 'process' | 'commitments' | 'escalation' | 'none';

function navigation(v: View, current: Section): Html {
  const items: Array<[Section, string, string]> = [
    ['home', '/', v.t('nav.home')],
    ['submit', '/submit', v.t('nav.submit')],
    ['track', '/track', v.t('nav.track')],
    ['policy', '/policy', v.t('nav.policy')],
    ['process', '/process', v.t('nav.process')],
    ['commitments', '/commitments', v.t('nav.commitments')],
    ['escalation', '/escalation', v.t('nav.escalation')],
  ];
  return html`<nav class="site-nav" aria-label="${v.t('nav.label')}"><ul>${items.map(
    ([key, href, label]) => html`<li><a href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></nav>`;
}

function languageSwitcher(v: View): Html {
  return html`<nav class="lang-switcher" aria-label="${v.t('lang.label')}"><ul>${languages.map(
    (l) =>
      html`<li><a href="${v.path}?lang=${l}" lang="${l}" hreflang="${l}"${l === v.lang ? html` aria-current="true"` : ''}>${autonyms[l]}</a></li>`,
  )}</ul></nav>`;
}

/** The error summary at the top of a page: every problem, each linked to its field (focused by portal.js). */
export function errorSummary(v: View, errors: Errors): Html | '' {
  if (errors.length === 0) return '';
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${v.t('errors.summary_title', { count: errors.length })}</h2>
<ul>${errors.map((e) => html`<li><a href="#f-${e.field}">${e.message}</a></li>`)}</ul>
</div>`;
}

/** The page shell: language and direction, skip link, header, navigation, language switcher, footer. */
export function layout(v: View, page: { title: string; body: Html; section?: Section; errors?: number }): string {
  const title = page.errors ? v.t('errors.title_prefix', { title: page.title }) : page.title;
  return `<!doctype html>
${html`<html lang="${v.lang}" dir="${v.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${v.site.name}</title>
<link rel="icon" href="/portal/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${cssHref}">
<script src="${jsHref}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${v.t('nav.skip')}</a>
<header class="site-header">
<div class="wrap header-row">
<a class="brand" href="/">${v.site.name}</a>
${languageSwitcher(v)}
</div>
<div class="wrap">${navigation(v, page.section ?? 'none')}</div>
</header>
<main id="main" class="wrap" tabindex="-1">
${page.body}
</main>
<footer class="site-footer">
<div class="wrap">
<p class="free">${v.t('footer.free')}</p>
${v.site.footer}
</div>
</footer>
</body>
</html>`}`;
}
