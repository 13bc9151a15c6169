import { Center, createTheme, DirectionProvider, Loader, MantineProvider, useDirection } from '@mantine/core';
import { setNonce } from 'get-nonce';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, get, put, setApiLanguage, setUnauthenticatedHandler } from './api.ts';
import { directionOf, I18nProvider, isLanguage, loadLanguage, type Language } from '../i18n/i18n.tsx';
import { match, navigate, useLocation } from './router.tsx';
import { SessionContext } from './session.tsx';
import type { Me } from './types.ts';
import { Layout } from '../ui/Layout.tsx';
import { LoginScreen } from '../screens/LoginScreen.tsx';
import { QueueScreen, defaultQueue } from '../screens/queues/QueueScreen.tsx';

// Every screen but the first queue is its own chunk, loaded when opened.
const ComplaintScreen = lazy(() => import('../screens/complaint/ComplaintScreen.tsx'));
const IntakeScreen = lazy(() => import('../screens/intake/IntakeScreen.tsx'));
const AdminScreen = lazy(() => import('../screens/admin/AdminScreen.tsx'));
const NotFound = lazy(() => import('../screens/NotFound.tsx'));
const AboutMeScreen = lazy(() => import('../screens/AboutMeScreen.tsx'));
const AnalyticsScreen = lazy(() => import('../screens/analytics/AnalyticsScreen.tsx'));
const ImprovementScreen = lazy(() => import('../screens/improvement/ImprovementScreen.tsx'));
const ImportScreen = lazy(() => import('../screens/imports/ImportScreen.tsx'));

const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'sm',
  fontFamily:
    "system-ui, -apple-system, 'Segoe UI', Tahoma, 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', sans-serif",
});
/** Darker secondary text than Mantine's default: WCAG AA contrast (4.5:1) on white. */
const cssVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-placeholder': '#6c737a',
    '--mantine-color-error': '#c92a2a',
  },
  dark: {},
});
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
// The scroll lock of dialogs adds a <style> element too: it carries the same nonce.
setNonce(nonce);

export function App(props: { initialLanguage: Language }) {
  const [lang, setLang] = useState<Language>(props.initialLanguage);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const loc = useLocation();

  useEffect(() => setApiLanguage(lang), [lang]);
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setMe((current) => {
        if (current) setExpired(true);
        return null;
      });
    });
    get<Me>('/api/workspace/me').then(
      (m) => {
        setMe(m);
        applyUserLanguage(m);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setMe(null);
        else setMe(null);
      },
    );
    return () => setUnauthenticatedHandler(null);
    // Once, on start: the language of the user found then.
  }, []);

  const changeLanguage = useCallback(
    (next: Language, remember = true) => {
      void loadLanguage(next).then(() => {
        setLang(next);
        if (remember) {
          localStorage.setItem('redress.lang', next);
          if (me) void put('/api/workspace/me/locale', { locale: next }).catch(() => undefined);
        }
      });
    },
    [me],
  );

  /** The user's own language (remembered on their account), unless this address asks for one (?lang=), which is then remembered. */
  const applyUserLanguage = useCallback(
    (m: Me) => {
      const asked = new URLSearchParams(location.search).get('lang');
      if (isLanguage(asked)) {
        localStorage.setItem('redress.lang', asked);
        if (asked !== m.locale)
          void put('/api/workspace/me/locale', { locale: asked }).catch(() => undefined);
        if (asked !== lang) changeLanguage(asked, false);
      } else if (isLanguage(m.locale) && m.locale !== lang) {
        localStorage.setItem('redress.lang', m.locale);
        changeLanguage(m.locale, false);
      }
    },
    [lang, changeLanguage],
  );

  const signedIn = useCallback(
    (m: Me) => {
      setExpired(false);
      setMe(m);
      applyUserLanguage(m);
    },
    [applyUserLanguage],
  );

  const signOut = useCallback(() => {
    void fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' }).finally(() => {
      setMe(null);
      navigate('/', { replace: true });
    });
  }, []);

  const i18n = useMemo(
    () => ({ lang, setLanguage: (l: Language) => changeLanguage(l) }),
    [lang, changeLanguage],
  );
  const session = useMemo(() => (me ? { me, signOut } : null), [me, signOut]);

  let screen: React.ReactNode;
  if (me === undefined) {
    screen = (
      <Center h="100vh">
        <Loader aria-label="…" />
      </Center>
    );
  } else if (me === null) {
    screen = <LoginScreen expired={expired} onSignedIn={signedIn} />;
  } else {
    screen = <Layout>{route(loc.path, me)}</Layout>;
  }

  return (
    <DirectionProvider initialDirection={directionOf(lang)} detectDirection={false}>
      <DirectionSync lang={lang} />
      <MantineProvider
        theme={theme}
        forceColorScheme="light"
        getStyleNonce={() => nonce}
        cssVariablesResolver={cssVariablesResolver}
      >
        <I18nProvider value={i18n}>
          <SessionContext.Provider value={session}>
            <Suspense
              fallback={
                <Center h="50vh">
                  <Loader />
                </Center>
              }
            >
              {screen}
            </Suspense>
          </SessionContext.Provider>
        </I18nProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}

function DirectionSync(props: { lang: Language }) {
  const { setDirection } = useDirection();
  useEffect(() => setDirection(directionOf(props.lang)), [props.lang, setDirection]);
  return null;
}

function route(path: string, me: Me): React.ReactNode {
  if (path === '/' || path === '/login') {
    queueMicrotask(() => navigate(`/queues/${defaultQueue(me)}${location.search}`, { replace: true }));
    return null;
  }
  let p: Record<string, string> | null;
  if ((p = match('/queues/:view', path))) return <QueueScreen key={p.view} view={p.view!} />;
  if ((p = match('/complaints/:reference', path)))
    return <ComplaintScreen key={p.reference} reference={p.reference!} />;
  if (match('/intake', path)) return <IntakeScreen />;
  if (match('/about-me', path)) return <AboutMeScreen />;
  if ((p = match('/admin/:tab', path))) return <AdminScreen tab={p.tab!} />;
  if (match('/admin', path)) return <AdminScreen tab="users" />;
  if (match('/analytics', path)) return <AnalyticsScreen />;
  if ((p = match('/improvement/:tab', path))) return <ImprovementScreen key={p.tab} tab={p.tab!} />;
  if (match('/improvement', path)) return <ImprovementScreen tab="capa" />;
  if (match('/imports', path)) return <ImportScreen />;
  return <NotFound />;
}
