import type { Language } from '../../shared/vocabulary.ts';

/**
 * The public pages' default text (PORT-5), in the six seed languages: seeded into `portal_pages` by the migration,
 * then edited by an administrator through the API. Bodies use the portal's small markup (see markup.ts).
 */
export const pageKeys = ['site', 'home', 'ways', 'policy', 'process', 'commitments', 'escalation'] as const;
export type PageKey = (typeof pageKeys)[number];

type Page = { title: string; body: string };

const en: Record<PageKey, Page> = {
  site: {
    title: 'Complaints and feedback',
    body: 'We welcome complaints, suggestions and compliments: they help us improve.',
  },
  home: {
    title: 'Complaints, suggestions and compliments',
    body: 'Tell us when something has gone wrong, how we could do better, or what we did well. It is free, you do not need an account, and you can follow your complaint online at every step.',
  },
  ways: {
    title: 'Ways to complain',
    body: `- **Online**: use the [complaint form](/submit), at any time of day.
- **By e-mail**: write to us; we reply to the same address.
- **By phone**: call us and a member of our team will record your complaint with you.
- **In person or by letter**: at any of our offices or branches.

Someone else — a relative, a friend, an adviser — can complain for you with your permission. If you need the form in another format, or other help to complain, tell us and we will make reasonable adjustments.`,
  },
  policy: {
    title: 'Our complaints policy',
    body: `## What we promise
- We accept complaints by any channel, in your language, free of charge.
- We treat every complaint fairly, objectively and confidentially. Someone who was not involved in what you complain about looks into it.
- We acknowledge your complaint promptly and keep you informed of progress.
- We explain our decision, the reasons for it and what we will do to put things right.
- We learn from complaints to improve our services.

## Your personal data
We use your details only to handle your complaint and to improve our service. Only the people who need them can see them.

## What we ask of you
Tell us what happened as clearly as you can, and keep your reference so that we can find your complaint quickly.`,
  },
  process: {
    title: 'How we handle your complaint',
    body: 'Every complaint follows the same steps. You can see at any time which step yours has reached.',
  },
  commitments: {
    title: 'Our service commitments',
    body: `- We **acknowledge** your complaint within 3 working days.
- We **keep you informed** at least every 20 working days while we investigate.
- We send you our **final response** within 8 weeks at the latest.
- If we need more time, we tell you why and when you can expect our answer.
- We never ask you to pay anything to complain.`,
  },
  escalation: {
    title: 'If you are not satisfied',
    body: `## Ask for a review
If you are not satisfied with our answer, you can reject it on your complaint's page and ask for a review. A senior colleague who was not involved in the decision will look at your complaint again.

## Outside our organisation
If you are still not satisfied, or if we have not sent you our final response within 8 weeks, you can take your complaint to an independent ombudsman or dispute resolution body, free of charge. You usually have to do so within 6 months of our final response. Our final response tells you which body you can contact and how.`,
  },
};

const ar: Record<PageKey, Page> = {
  site: { title: 'الشكاوى والملاحظات', body: 'نرحّب بالشكاوى والاقتراحات والإشادات، فهي تساعدنا على التحسّن.' },
  home: {
    title: 'الشكاوى والاقتراحات والإشادات',
    body: 'أخبرنا عندما يحدث خطأ ما، أو كيف يمكننا أن نتحسّن، أو ما الذي أحسنّا فعله. الخدمة مجانية، ولا تحتاج إلى حساب، ويمكنك متابعة شكواك عبر الإنترنت في كل خطوة.',
  },
  ways: {
    title: 'طرق تقديم الشكوى',
    body: `- **عبر الإنترنت**: استخدم [نموذج الشكوى](/submit) في أي وقت.
- **بالبريد الإلكتروني**: راسلنا وسنردّ على العنوان نفسه.
- **بالهاتف**: اتصل بنا وسيسجّل أحد أعضاء فريقنا شكواك معك.
- **شخصيًا أو برسالة**: في أيٍّ من مكاتبنا أو فروعنا.

يمكن لشخص آخر — قريب أو صديق أو مستشار — أن يقدّم الشكوى نيابةً عنك بإذنك. إذا احتجت إلى النموذج بصيغة أخرى أو إلى مساعدة أخرى لتقديم شكواك، فأخبرنا وسنُجري التعديلات المعقولة.`,
  },
  policy: {
    title: 'سياستنا في التعامل مع الشكاوى',
    body: `## ما نلتزم به
- نقبل الشكاوى عبر أي قناة، وبلغتك، ودون أي رسوم.
- نتعامل مع كل شكوى بإنصاف وموضوعية وسرّية. يتولى النظر فيها شخص لم يكن طرفًا فيما تشكو منه.
- نؤكد استلام شكواك سريعًا ونُطلعك على سير معالجتها.
- نشرح لك قرارنا وأسبابه وما سنفعله لتصحيح الأمر.
- نتعلّم من الشكاوى لتحسين خدماتنا.

## بياناتك الشخصية
نستخدم بياناتك فقط لمعالجة شكواك ولتحسين خدمتنا، ولا يطّلع عليها إلا من يحتاج إليها.

## ما نطلبه منك
أخبرنا بما حدث بأوضح ما يمكن، واحتفظ برقمك المرجعي حتى نجد شكواك بسرعة.`,
  },
  process: {
    title: 'كيف نعالج شكواك',
    body: 'تمرّ كل شكوى بالخطوات نفسها، ويمكنك في أي وقت أن ترى الخطوة التي بلغتها شكواك.',
  },
  commitments: {
    title: 'التزاماتنا في الخدمة',
    body: `- **نؤكد استلام** شكواك خلال 3 أيام عمل.
- **نُطلعك على التقدّم** مرة كل 20 يوم عمل على الأقل أثناء التحقيق.
- نرسل إليك **ردّنا النهائي** خلال 8 أسابيع كحدٍّ أقصى.
- إذا احتجنا إلى وقت أطول، نخبرك بالسبب وبموعد ردّنا المتوقع.
- لا نطلب منك أبدًا دفع أي مبلغ لتقديم شكوى.`,
  },
  escalation: {
    title: 'إذا لم تكن راضيًا',
    body: `## اطلب المراجعة
إذا لم تكن راضيًا عن ردّنا، يمكنك رفضه من صفحة شكواك وطلب مراجعته. سيعيد النظر في شكواك زميل أقدم لم يشارك في القرار.

## خارج مؤسستنا
إذا بقيت غير راضٍ، أو إذا لم نرسل إليك ردّنا النهائي خلال 8 أسابيع، يمكنك إحالة شكواك مجانًا إلى أمين مظالم أو جهة مستقلة لتسوية النزاعات. وعادةً يجب أن تفعل ذلك خلال 6 أشهر من ردّنا النهائي. سيذكر ردّنا النهائي الجهة التي يمكنك التواصل معها وكيفية ذلك.`,
  },
};

const fa: Record<PageKey, Page> = {
  site: { title: 'شکایات و بازخورد', body: 'از شکایت‌ها، پیشنهادها و قدردانی‌های شما استقبال می‌کنیم؛ آن‌ها به ما کمک می‌کنند بهتر شویم.' },
  home: {
    title: 'شکایت، پیشنهاد و قدردانی',
    body: 'اگر مشکلی پیش آمده، اگر می‌توانیم بهتر عمل کنیم یا اگر کاری را خوب انجام داده‌ایم، به ما بگویید. این کار رایگان است، به حساب کاربری نیاز ندارید و می‌توانید در هر مرحله شکایت خود را به‌صورت آنلاین پیگیری کنید.',
  },
  ways: {
    title: 'راه‌های ثبت شکایت',
    body: `- **آنلاین**: از [فرم شکایت](/submit) در هر ساعتی از شبانه‌روز استفاده کنید.
- **با ایمیل**: برای ما بنویسید؛ به همان نشانی پاسخ می‌دهیم.
- **با تلفن**: تماس بگیرید تا یکی از همکاران ما شکایت شما را همراه شما ثبت کند.
- **حضوری یا با نامه**: در هر یک از دفاتر یا شعبه‌های ما.

فرد دیگری — یکی از بستگان، دوست یا مشاور — می‌تواند با اجازهٔ شما از طرف شما شکایت کند. اگر فرم را در قالب دیگری لازم دارید یا برای ثبت شکایت به کمک دیگری نیاز دارید، به ما بگویید تا تغییرات معقول را انجام دهیم.`,
  },
  policy: {
    title: 'سیاست رسیدگی به شکایات',
    body: `## تعهدات ما
- شکایت را از هر راهی، به زبان شما و بدون هیچ هزینه‌ای می‌پذیریم.
- با هر شکایت منصفانه، بی‌طرفانه و محرمانه رفتار می‌کنیم. کسی به آن رسیدگی می‌کند که در موضوع شکایت دخالتی نداشته است.
- دریافت شکایت را به‌سرعت اعلام می‌کنیم و شما را از روند رسیدگی آگاه نگه می‌داریم.
- تصمیم خود، دلایل آن و کاری را که برای جبران انجام می‌دهیم توضیح می‌دهیم.
- از شکایت‌ها برای بهبود خدمات خود درس می‌گیریم.

## اطلاعات شخصی شما
از اطلاعات شما فقط برای رسیدگی به شکایت و بهبود خدمات استفاده می‌کنیم و تنها کسانی که به آن نیاز دارند می‌توانند آن را ببینند.

## آنچه از شما می‌خواهیم
آنچه را رخ داده تا جای ممکن روشن بگویید و شمارهٔ پیگیری خود را نگه دارید تا شکایتتان را سریع پیدا کنیم.`,
  },
  process: {
    title: 'روند رسیدگی به شکایت شما',
    body: 'همهٔ شکایت‌ها مراحل یکسانی را طی می‌کنند. هر زمان می‌توانید ببینید شکایت شما به کدام مرحله رسیده است.',
  },
  commitments: {
    title: 'تعهدات خدمت ما',
    body: `- **دریافت** شکایت شما را ظرف ۳ روز کاری اعلام می‌کنیم.
- در طول بررسی، دست‌کم هر ۲۰ روز کاری یک بار **شما را در جریان** می‌گذاریم.
- **پاسخ نهایی** را حداکثر ظرف ۸ هفته برایتان می‌فرستیم.
- اگر به زمان بیشتری نیاز داشته باشیم، دلیل آن و زمان پاسخ را به شما می‌گوییم.
- هرگز برای ثبت شکایت از شما پولی نمی‌خواهیم.`,
  },
  escalation: {
    title: 'اگر راضی نیستید',
    body: `## درخواست بازبینی
اگر از پاسخ ما راضی نیستید، می‌توانید در صفحهٔ شکایت خود آن را رد کنید و درخواست بازبینی بدهید. یکی از همکاران ارشد که در تصمیم‌گیری نقشی نداشته، شکایت شما را دوباره بررسی می‌کند.

## خارج از سازمان ما
اگر همچنان راضی نیستید، یا اگر ظرف ۸ هفته پاسخ نهایی ما را دریافت نکرده‌اید، می‌توانید شکایت خود را به‌رایگان به یک بازرس (آمبودزمن) یا نهاد مستقل حل اختلاف ارجاع دهید. معمولاً باید این کار را ظرف ۶ ماه پس از پاسخ نهایی ما انجام دهید. در پاسخ نهایی، نام این نهاد و راه تماس با آن را به شما می‌گوییم.`,
  },
};

const zh: Record<PageKey, Page> = {
  site: { title: '投诉与反馈', body: '我们欢迎您的投诉、建议和表扬，它们帮助我们不断改进。' },
  home: {
    title: '投诉、建议和表扬',
    body: '当出现问题、我们可以做得更好，或者我们做得好的时候，请告诉我们。提交免费，无需注册账户，您可以在线跟进投诉的每一个步骤。',
  },
  ways: {
    title: '投诉方式',
    body: `- **在线**：随时使用[投诉表单](/submit)。
- **电子邮件**：给我们写信，我们会回复到同一地址。
- **电话**：致电我们，工作人员会与您一起记录投诉。
- **当面或信件**：在我们的任何办公室或网点。

经您同意，其他人（亲属、朋友或顾问）可以代您投诉。如果您需要其他格式的表单或其他协助，请告诉我们，我们会作出合理调整。`,
  },
  policy: {
    title: '我们的投诉处理政策',
    body: `## 我们的承诺
- 我们通过任何渠道、以您的语言免费受理投诉。
- 我们公平、客观、保密地对待每一项投诉，由与所投诉事项无关的人员进行处理。
- 我们会及时确认收到您的投诉，并随时告知处理进展。
- 我们会说明我们的决定、理由以及我们将如何纠正问题。
- 我们从投诉中吸取经验，改进服务。

## 您的个人信息
我们仅将您的信息用于处理投诉和改进服务，只有需要的人员才能查看。

## 我们希望您做的
请尽可能清楚地说明发生了什么，并保存好您的编号，以便我们快速找到您的投诉。`,
  },
  process: { title: '我们如何处理您的投诉', body: '每项投诉都经过相同的步骤。您可以随时查看您的投诉进行到哪一步。' },
  commitments: {
    title: '我们的服务承诺',
    body: `- 我们在 3 个工作日内**确认收到**您的投诉。
- 调查期间，我们至少每 20 个工作日**向您通报一次进展**。
- 我们最迟在 8 周内向您发送**最终答复**。
- 如果需要更多时间，我们会告诉您原因以及预计答复时间。
- 我们绝不会要求您为投诉支付任何费用。`,
  },
  escalation: {
    title: '如果您不满意',
    body: `## 申请复核
如果您对我们的答复不满意，可以在投诉页面上拒绝答复并申请复核。一位未参与该决定的资深同事会重新审查您的投诉。

## 向外部机构投诉
如果您仍不满意，或者我们未在 8 周内发出最终答复，您可以免费将投诉提交给独立的申诉专员或争议解决机构。通常须在我们发出最终答复后 6 个月内提出。我们的最终答复会告诉您可以联系哪个机构以及联系方式。`,
  },
};

const pl: Record<PageKey, Page> = {
  site: { title: 'Skargi i opinie', body: 'Chętnie przyjmujemy skargi, sugestie i pochwały — pomagają nam się doskonalić.' },
  home: {
    title: 'Skargi, sugestie i pochwały',
    body: 'Powiedz nam, gdy coś poszło nie tak, co możemy robić lepiej albo co zrobiliśmy dobrze. To nic nie kosztuje, nie potrzebujesz konta, a swoją skargę możesz śledzić online na każdym etapie.',
  },
  ways: {
    title: 'Jak złożyć skargę',
    body: `- **Online**: skorzystaj z [formularza skargi](/submit) o dowolnej porze.
- **E-mailem**: napisz do nas; odpowiemy na ten sam adres.
- **Telefonicznie**: zadzwoń, a nasz pracownik zapisze skargę razem z Tobą.
- **Osobiście lub listownie**: w każdym naszym biurze lub oddziale.

Ktoś inny — krewny, przyjaciel, doradca — może złożyć skargę w Twoim imieniu, za Twoją zgodą. Jeśli potrzebujesz formularza w innej formie lub innej pomocy przy składaniu skargi, daj nam znać — wprowadzimy rozsądne dostosowania.`,
  },
  policy: {
    title: 'Nasza polityka rozpatrywania skarg',
    body: `## Co obiecujemy
- Przyjmujemy skargi każdą drogą, w Twoim języku i bezpłatnie.
- Każdą skargę traktujemy uczciwie, obiektywnie i poufnie. Rozpatruje ją osoba, która nie była zaangażowana w sprawę, której dotyczy skarga.
- Szybko potwierdzamy otrzymanie skargi i informujemy o postępach.
- Wyjaśniamy naszą decyzję, jej powody i to, co zrobimy, aby naprawić sytuację.
- Uczymy się na skargach, aby ulepszać nasze usługi.

## Twoje dane osobowe
Używamy Twoich danych wyłącznie do rozpatrzenia skargi i poprawy naszych usług. Widzą je tylko osoby, które ich potrzebują.

## O co Cię prosimy
Opisz jak najjaśniej, co się stało, i zachowaj numer referencyjny, abyśmy mogli szybko odnaleźć Twoją skargę.`,
  },
  process: {
    title: 'Jak rozpatrujemy Twoją skargę',
    body: 'Każda skarga przechodzi przez te same etapy. W każdej chwili możesz sprawdzić, na którym etapie jest Twoja.',
  },
  commitments: {
    title: 'Nasze zobowiązania',
    body: `- **Potwierdzamy otrzymanie** skargi w ciągu 3 dni roboczych.
- W trakcie wyjaśniania **informujemy o postępach** co najmniej co 20 dni roboczych.
- **Ostateczną odpowiedź** wysyłamy najpóźniej w ciągu 8 tygodni.
- Jeśli potrzebujemy więcej czasu, wyjaśniamy dlaczego i kiedy możesz spodziewać się odpowiedzi.
- Nigdy nie prosimy o żadną opłatę za złożenie skargi.`,
  },
  escalation: {
    title: 'Jeśli nie jesteś zadowolony',
    body: `## Poproś o ponowne rozpatrzenie
Jeśli nie jesteś zadowolony z naszej odpowiedzi, możesz ją odrzucić na stronie swojej skargi i poprosić o ponowne rozpatrzenie. Zajmie się tym starszy pracownik, który nie brał udziału w podjęciu decyzji.

## Poza naszą organizacją
Jeśli nadal nie jesteś zadowolony albo nie otrzymałeś naszej ostatecznej odpowiedzi w ciągu 8 tygodni, możesz bezpłatnie skierować skargę do niezależnego rzecznika (ombudsmana) lub podmiotu pozasądowego rozwiązywania sporów. Zwykle trzeba to zrobić w ciągu 6 miesięcy od naszej ostatecznej odpowiedzi. W ostatecznej odpowiedzi podamy, z którym podmiotem możesz się skontaktować i jak.`,
  },
};

const nl: Record<PageKey, Page> = {
  site: { title: 'Klachten en feedback', body: 'Wij verwelkomen klachten, suggesties en complimenten: ze helpen ons beter te worden.' },
  home: {
    title: 'Klachten, suggesties en complimenten',
    body: 'Laat ons weten wanneer er iets misging, wat we beter kunnen doen of wat we goed deden. Het is gratis, u hebt geen account nodig en u kunt uw klacht bij elke stap online volgen.',
  },
  ways: {
    title: 'Zo dient u een klacht in',
    body: `- **Online**: gebruik het [klachtenformulier](/submit), op elk moment van de dag.
- **Per e-mail**: schrijf ons; wij antwoorden op hetzelfde adres.
- **Telefonisch**: bel ons en een medewerker legt uw klacht samen met u vast.
- **Persoonlijk of per brief**: bij al onze kantoren en vestigingen.

Iemand anders — een familielid, vriend of adviseur — kan met uw toestemming namens u een klacht indienen. Hebt u het formulier in een andere vorm nodig, of andere hulp bij het indienen, laat het ons weten; wij zorgen voor redelijke aanpassingen.`,
  },
  policy: {
    title: 'Ons klachtenbeleid',
    body: `## Wat wij beloven
- Wij nemen klachten aan via elk kanaal, in uw taal en kosteloos.
- Wij behandelen elke klacht eerlijk, objectief en vertrouwelijk. Iemand die niet betrokken was bij waarover u klaagt, onderzoekt haar.
- Wij bevestigen uw klacht snel en houden u op de hoogte van de voortgang.
- Wij leggen ons besluit uit, met de redenen en wat we doen om het recht te zetten.
- Wij leren van klachten om onze dienstverlening te verbeteren.

## Uw persoonsgegevens
Wij gebruiken uw gegevens alleen om uw klacht te behandelen en onze dienstverlening te verbeteren. Alleen wie ze nodig heeft, kan ze inzien.

## Wat wij van u vragen
Vertel zo duidelijk mogelijk wat er gebeurde en bewaar uw referentie, zodat wij uw klacht snel terugvinden.`,
  },
  process: {
    title: 'Hoe wij uw klacht behandelen',
    body: 'Elke klacht doorloopt dezelfde stappen. U ziet op elk moment bij welke stap de uwe is.',
  },
  commitments: {
    title: 'Onze servicebeloften',
    body: `- Wij **bevestigen** uw klacht binnen 3 werkdagen.
- Tijdens het onderzoek **houden wij u op de hoogte**, minstens elke 20 werkdagen.
- Ons **definitieve antwoord** sturen wij uiterlijk binnen 8 weken.
- Hebben wij meer tijd nodig, dan vertellen wij waarom en wanneer u ons antwoord kunt verwachten.
- Wij vragen nooit geld om een klacht in te dienen.`,
  },
  escalation: {
    title: 'Als u niet tevreden bent',
    body: `## Vraag om herbeoordeling
Bent u niet tevreden met ons antwoord, dan kunt u het op de pagina van uw klacht afwijzen en om een herbeoordeling vragen. Een ervaren collega die niet bij het besluit betrokken was, bekijkt uw klacht opnieuw.

## Buiten onze organisatie
Bent u daarna nog niet tevreden, of hebt u binnen 8 weken geen definitief antwoord van ons gekregen, dan kunt u uw klacht gratis voorleggen aan een onafhankelijke ombudsman of geschilleninstantie. Meestal moet dat binnen 6 maanden na ons definitieve antwoord. In ons definitieve antwoord staat bij welke instantie u terechtkunt en hoe.`,
  },
};

export const defaultPages: Record<Language, Record<PageKey, Page>> = { en, ar, fa, zh, pl, nl };

/** Every default page as a row of `portal_pages`. */
export function defaultPortalPages(): Array<{ key: string; language: string; title: string; body: string }> {
  return Object.entries(defaultPages).flatMap(([language, pages]) =>
    Object.entries(pages).map(([key, p]) => ({ key, language, title: p.title, body: p.body })),
  );
}
