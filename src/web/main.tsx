import '@mantine/core/styles.css';
import './ui/app.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { isLanguage, loadLanguage, type Language } from './i18n/i18n.tsx';

/** The language to start in: `?lang=`, else the one remembered on this device, else the browser's. */
function initialLanguage(): Language {
  const fromQuery = new URLSearchParams(location.search).get('lang');
  if (isLanguage(fromQuery)) return fromQuery;
  const remembered = localStorage.getItem('redress.lang');
  if (isLanguage(remembered)) return remembered;
  const browser = navigator.language.slice(0, 2);
  return isLanguage(browser) ? browser : 'en';
}

const lang = initialLanguage();
void loadLanguage(lang).then(() => {
  createRoot(document.getElementById('root')!).render(<App initialLanguage={lang} />);
});
