import type { TemplateStrings } from './types.ts';

export const pl: TemplateStrings = {
  greeting: 'Dzień dobry, {name},',
  greetingAnonymous: 'Dzień dobry,',
  signature: 'Zespół ds. skarg',
  labels: { reference: 'Numer skargi', track: 'Sprawdź status skargi', reasons: 'Uzasadnienie', remedies: 'Co zrobimy', reason: 'Powód' },
  outcomes: { upheld: 'uwzględniona', partly_upheld: 'uwzględniona częściowo', not_upheld: 'nieuwzględniona' },
  acknowledgement: {
    subject: 'Potwierdzenie przyjęcia skargi – numer {reference}',
    heading: 'Dziękujemy za kontakt',
    received: 'Otrzymaliśmy skargę w dniu {receivedDate} i nadaliśmy jej numer {reference}. Prosimy podawać go w każdej korespondencji.',
    whatNext:
      'Co dalej: pracownik zespołu ds. skarg przeanalizuje przekazane informacje, w razie potrzeby poprosi o dodatkowe wyjaśnienia, a następnie prześle naszą odpowiedź na piśmie.',
    due: 'Odpowiedź prześlemy najpóźniej do {dueDate}.',
    track: 'Status skargi można sprawdzić w każdej chwili: {trackingUrl}',
    reply: 'Aby uzupełnić informacje, wystarczy odpowiedzieć na tę wiadomość, pozostawiając numer w temacie.',
    sms: 'Otrzymaliśmy skargę. Numer {reference}. Status: {trackingUrl}',
  },
  message: {
    subject: 'Wiadomość w sprawie skargi {reference}',
    intro: 'Zespół ds. skarg przesyła wiadomość w sprawie skargi {reference}:',
    sms: 'Wysłaliśmy wiadomość w sprawie skargi {reference}: {trackingUrl}',
  },
  informationRequest: {
    subject: 'Prosimy o dodatkowe informacje – skarga {reference}',
    intro: 'Aby kontynuować rozpatrywanie skargi {reference}, potrzebujemy dodatkowych informacji:',
    after: 'Prosimy odpowiedzieć na tę wiadomość (pozostawiając numer w temacie) lub skorzystać z linku: {trackingUrl}',
    sms: 'Prosimy o dodatkowe informacje do skargi {reference}: {trackingUrl}',
  },
  decision: {
    subject: 'Odpowiedź na skargę {reference}',
    intro: 'Zakończyliśmy rozpatrywanie skargi {reference}. Nasza decyzja: skarga {outcome}.',
    options:
      'Jeśli odpowiedź nie jest satysfakcjonująca, można w ciągu ośmiu tygodni odpowiedzieć na tę wiadomość – sprawę ponownie rozpatrzy osoba, która nie brała udziału w decyzji. Można także bezpłatnie skierować sprawę do rzecznika (ombudsmana) lub niezależnego podmiotu pozasądowego rozwiązywania sporów; obowiązują terminy (zwykle sześć miesięcy od daty tego pisma).',
    sms: 'Przesłaliśmy odpowiedź na skargę {reference}: {trackingUrl}',
  },
  closure: {
    subject: 'Skarga {reference} została zamknięta',
    body: 'Zamknęliśmy skargę {reference}. Dziękujemy za możliwość naprawienia sytuacji.',
    reopen: 'Jeśli coś nadal nie zostało rozwiązane, prosimy odpowiedzieć na tę wiadomość – ponownie się tym zajmiemy.',
    sms: 'Skarga {reference} została zamknięta.',
  },
  survey: {
    subject: 'Jak oceniają Państwo rozpatrzenie skargi {reference}?',
    body: 'Chcemy wiedzieć, jak oceniają Państwo sposób rozpatrzenia skargi (a nie samą decyzję). Ankieta zajmie około dwóch minut: {surveyUrl}',
    sms: 'Prosimy ocenić rozpatrzenie skargi {reference}: {surveyUrl}',
  },
  withdrawn: {
    subject: 'Skarga {reference} została wycofana',
    body: 'Zgodnie z prośbą wycofaliśmy skargę {reference}. W razie zmiany decyzji prosimy odpowiedzieć na tę wiadomość.',
    sms: 'Skarga {reference} została wycofana zgodnie z prośbą.',
  },
  outOfScope: {
    subject: 'W sprawie skargi {reference}',
    body: 'Przeanalizowaliśmy skargę {reference}; sprawa nie mieści się w zakresie naszej procedury rozpatrywania skarg.',
    disagree: 'W razie braku zgody prosimy odpowiedzieć na tę wiadomość.',
    sms: 'Wysłaliśmy wiadomość w sprawie skargi {reference}: {trackingUrl}',
  },
  portalLink: {
    subject: 'Nowy link do śledzenia – skarga {reference}',
    body: 'Oto nowy prywatny link do śledzenia skargi {reference}: {trackingUrl}',
    secret: 'Nowy kod do użycia razem z numerem skargi: {secret}',
    sms: 'Nowy link do śledzenia skargi {reference}: {trackingUrl}',
  },
};
