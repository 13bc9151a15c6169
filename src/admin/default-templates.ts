/**
 * The response templates an organisation starts with (WORK-5), in the six seed languages. Placeholders in braces
 * are filled by the composer: {name}, {reference}, {receivedDate}, {outcome}, {reasons}, {remedies}, {handler}.
 * The decision letter around the message always adds the outcome, the reasons, the remedies and the further options
 * (internal review, the ombudsman and its time limit): src/channels/templates.
 */
export interface TemplateSeed {
  key: string;
  language: 'en' | 'ar' | 'fa' | 'zh' | 'pl' | 'nl';
  name: string;
  body: string;
}

export const defaultTemplates: TemplateSeed[] = [
  {
    key: 'decision-upheld',
    language: 'en',
    name: 'Decision: upheld',
    body: 'Thank you for raising this with us and for your patience while we looked into it.\n\nWe have reviewed everything you told us about your complaint {reference}, received on {receivedDate}, and we agree that we got this wrong. {reasons}\n\nTo put things right: {remedies}.\n\nWe are sorry for the trouble this caused.\n\n{handler}',
  },
  {
    key: 'decision-not-upheld',
    language: 'en',
    name: 'Decision: not upheld',
    body: 'Thank you for raising this with us.\n\nWe have looked carefully at your complaint {reference}, received on {receivedDate}. Having reviewed the records, we have not upheld it: {reasons}\n\nWe understand this may not be the answer you hoped for; the options below explain what you can do next.\n\n{handler}',
  },
  {
    key: 'decision-upheld',
    language: 'ar',
    name: 'القرار: مقبولة',
    body: 'شكرًا لك على إبلاغنا بهذا الأمر وعلى صبرك أثناء دراستنا له.\n\nراجعنا كل ما ذكرته في شكواك {reference} التي استلمناها في {receivedDate}، ونقرّ بأننا أخطأنا. {reasons}\n\nلتصحيح الأمر: {remedies}.\n\nنعتذر عن الإزعاج الذي سبّبه ذلك.\n\n{handler}',
  },
  {
    key: 'decision-not-upheld',
    language: 'ar',
    name: 'القرار: غير مقبولة',
    body: 'شكرًا لك على إبلاغنا بهذا الأمر.\n\nدرسنا بعناية شكواك {reference} التي استلمناها في {receivedDate}. وبعد مراجعة السجلات لم نقبلها: {reasons}\n\nندرك أن هذا قد لا يكون الجواب الذي كنت تأمله؛ توضّح الخيارات أدناه ما يمكنك فعله بعد ذلك.\n\n{handler}',
  },
  {
    key: 'decision-upheld',
    language: 'fa',
    name: 'تصمیم: پذیرفته شد',
    body: 'از اینکه این موضوع را با ما در میان گذاشتید و در مدت بررسی صبور بودید سپاسگزاریم.\n\nهمهٔ آنچه در شکایت {reference} (دریافت‌شده در {receivedDate}) گفته بودید را بررسی کردیم و می‌پذیریم که اشتباه از ما بوده است. {reasons}\n\nبرای جبران: {remedies}.\n\nبابت زحمتی که پیش آمد پوزش می‌خواهیم.\n\n{handler}',
  },
  {
    key: 'decision-not-upheld',
    language: 'fa',
    name: 'تصمیم: پذیرفته نشد',
    body: 'از اینکه این موضوع را با ما در میان گذاشتید سپاسگزاریم.\n\nشکایت {reference} (دریافت‌شده در {receivedDate}) را با دقت بررسی کردیم. پس از بررسی سوابق، آن را نپذیرفتیم: {reasons}\n\nمی‌دانیم این شاید پاسخی نباشد که انتظارش را داشتید؛ گزینه‌های زیر توضیح می‌دهند که چه کارهایی می‌توانید انجام دهید.\n\n{handler}',
  },
  {
    key: 'decision-upheld',
    language: 'zh',
    name: '决定：投诉成立',
    body: '感谢您向我们反映此事，并在我们调查期间耐心等待。\n\n我们已审阅您于{receivedDate}提交的投诉 {reference} 中的全部内容，我们承认是我们的过错。{reasons}\n\n为此我们将：{remedies}。\n\n对由此给您带来的不便，我们深表歉意。\n\n{handler}',
  },
  {
    key: 'decision-not-upheld',
    language: 'zh',
    name: '决定：投诉不成立',
    body: '感谢您向我们反映此事。\n\n我们已认真审查您于{receivedDate}提交的投诉 {reference}。经核查记录，我们未支持该投诉：{reasons}\n\n我们理解这可能不是您希望的答复；下面的选项说明了您接下来可以怎么做。\n\n{handler}',
  },
  {
    key: 'decision-upheld',
    language: 'pl',
    name: 'Decyzja: uwzględniona',
    body: 'Dziękujemy za zgłoszenie tej sprawy i cierpliwość w czasie, gdy ją wyjaśnialiśmy.\n\nPrzeanalizowaliśmy wszystko, co przekazali Państwo w reklamacji {reference} otrzymanej {receivedDate}, i przyznajemy, że popełniliśmy błąd. {reasons}\n\nAby to naprawić: {remedies}.\n\nPrzepraszamy za kłopot.\n\n{handler}',
  },
  {
    key: 'decision-not-upheld',
    language: 'pl',
    name: 'Decyzja: nieuwzględniona',
    body: 'Dziękujemy za zgłoszenie tej sprawy.\n\nDokładnie przeanalizowaliśmy reklamację {reference} otrzymaną {receivedDate}. Po sprawdzeniu dokumentacji nie uwzględniliśmy jej: {reasons}\n\nRozumiemy, że to może nie być odpowiedź, na którą Państwo liczyli; poniżej opisujemy dalsze możliwości.\n\n{handler}',
  },
  {
    key: 'decision-upheld',
    language: 'nl',
    name: 'Besluit: gegrond',
    body: 'Dank u dat u dit bij ons hebt gemeld en voor uw geduld tijdens ons onderzoek.\n\nWe hebben alles wat u ons vertelde over uw klacht {reference}, ontvangen op {receivedDate}, bekeken en we erkennen dat we een fout hebben gemaakt. {reasons}\n\nOm dit recht te zetten: {remedies}.\n\nOnze excuses voor het ongemak.\n\n{handler}',
  },
  {
    key: 'decision-not-upheld',
    language: 'nl',
    name: 'Besluit: ongegrond',
    body: 'Dank u dat u dit bij ons hebt gemeld.\n\nWe hebben uw klacht {reference}, ontvangen op {receivedDate}, zorgvuldig bekeken. Na controle van de gegevens hebben we de klacht ongegrond verklaard: {reasons}\n\nWe begrijpen dat dit misschien niet het antwoord is waarop u hoopte; hieronder staat wat u verder kunt doen.\n\n{handler}',
  },
];
