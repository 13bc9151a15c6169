import type { TemplateStrings } from './types.ts';

export const nl: TemplateStrings = {
  greeting: 'Beste {name},',
  greetingAnonymous: 'Geachte heer, mevrouw,',
  signature: 'Het klachtenteam',
  labels: { reference: 'Referentie', track: 'Volg uw klacht', reasons: 'Toelichting', remedies: 'Wat wij doen', reason: 'Reden' },
  outcomes: { upheld: 'gegrond', partly_upheld: 'gedeeltelijk gegrond', not_upheld: 'ongegrond' },
  acknowledgement: {
    subject: 'Wij hebben uw klacht ontvangen – referentie {reference}',
    heading: 'Bedankt voor uw bericht',
    received: 'Wij hebben uw klacht op {receivedDate} ontvangen en deze het referentienummer {reference} gegeven. Vermeld dit nummer als u contact met ons opneemt.',
    whatNext:
      'Hoe nu verder: een medewerker van het klachtenteam bekijkt wat u ons heeft verteld, neemt contact met u op als wij meer informatie nodig hebben en stuurt u daarna schriftelijk ons antwoord.',
    due: 'Wij streven ernaar u uiterlijk {dueDate} te antwoorden.',
    track: 'U kunt uw klacht op elk moment volgen: {trackingUrl}',
    reply: 'Wilt u iets toevoegen? Beantwoord dan deze e-mail en laat het referentienummer in het onderwerp staan.',
    sms: 'Wij hebben uw klacht ontvangen. Referentie {reference}. Volgen: {trackingUrl}',
  },
  message: {
    subject: 'Bericht over uw klacht {reference}',
    intro: 'Het klachtenteam heeft u een bericht gestuurd over uw klacht {reference}:',
    sms: 'Wij hebben u een bericht gestuurd over uw klacht {reference}: {trackingUrl}',
  },
  informationRequest: {
    subject: 'Wij hebben meer informatie nodig – klacht {reference}',
    intro: 'Om uw klacht {reference} verder te behandelen, hebben wij de volgende informatie van u nodig:',
    after: 'Beantwoord deze e-mail (laat het referentienummer in het onderwerp staan) of gebruik uw volglink: {trackingUrl}',
    sms: 'Wij hebben meer informatie nodig over uw klacht {reference}: {trackingUrl}',
  },
  decision: {
    subject: 'Ons antwoord op uw klacht {reference}',
    intro: 'Wij hebben uw klacht {reference} onderzocht. Ons besluit: uw klacht is {outcome}.',
    options:
      'Bent u het niet eens met ons antwoord? Beantwoord dan binnen acht weken deze e-mail; iemand die niet bij het besluit betrokken was, beoordeelt uw klacht dan opnieuw. U kunt uw klacht ook kosteloos voorleggen aan de ombudsman of een onafhankelijke geschillencommissie; daarvoor gelden termijnen (meestal zes maanden na de datum van deze brief).',
    sms: 'Wij hebben uw klacht {reference} beantwoord: {trackingUrl}',
  },
  closure: {
    subject: 'Uw klacht {reference} is afgesloten',
    body: 'Wij hebben uw klacht {reference} afgesloten. Bedankt dat u ons de kans gaf het recht te zetten.',
    reopen: 'Is er nog iets niet opgelost? Beantwoord dan deze e-mail en wij kijken er opnieuw naar.',
    sms: 'Uw klacht {reference} is afgesloten.',
  },
  survey: {
    subject: 'Hoe hebben wij uw klacht {reference} behandeld?',
    body: 'Wij horen graag hoe u onze behandeling van uw klacht heeft ervaren (los van de uitkomst). De vragenlijst duurt ongeveer twee minuten: {surveyUrl}',
    sms: 'Hoe hebben wij uw klacht {reference} behandeld? {surveyUrl}',
  },
  withdrawn: {
    subject: 'Uw klacht {reference} is ingetrokken',
    body: 'Op uw verzoek hebben wij uw klacht {reference} ingetrokken. Bedenkt u zich, beantwoord dan deze e-mail.',
    sms: 'Uw klacht {reference} is op uw verzoek ingetrokken.',
  },
  outOfScope: {
    subject: 'Over uw klacht {reference}',
    body: 'Wij hebben uw klacht {reference} bekeken; deze valt buiten onze klachtenprocedure.',
    disagree: 'Bent u het hier niet mee eens? Beantwoord dan deze e-mail.',
    sms: 'Wij hebben u geschreven over uw klacht {reference}: {trackingUrl}',
  },
  portalLink: {
    subject: 'Uw nieuwe volglink – klacht {reference}',
    body: 'Hier is uw nieuwe persoonlijke link om uw klacht {reference} te volgen: {trackingUrl}',
    secret: 'Uw nieuwe geheime code, te gebruiken met het referentienummer: {secret}',
    sms: 'Nieuwe volglink voor uw klacht {reference}: {trackingUrl}',
  },
};
