import type { TemplateStrings } from './types.ts';

export const ar: TemplateStrings = {
  greeting: 'مرحبًا {name}،',
  greetingAnonymous: 'مرحبًا،',
  signature: 'فريق الشكاوى',
  labels: { reference: 'الرقم المرجعي', track: 'متابعة الشكوى', reasons: 'الأسباب', remedies: 'ما سنقوم به', reason: 'السبب' },
  outcomes: { upheld: 'مقبولة', partly_upheld: 'مقبولة جزئيًا', not_upheld: 'غير مقبولة' },
  acknowledgement: {
    subject: 'استلمنا شكواك – الرقم المرجعي {reference}',
    heading: 'شكرًا لتواصلك معنا',
    received: 'استلمنا شكواك بتاريخ {receivedDate} ومنحناها الرقم المرجعي {reference}. يُرجى ذكره كلما تواصلت معنا.',
    whatNext:
      'الخطوات التالية: سيراجع أحد أعضاء فريق الشكاوى ما أخبرتنا به، وسنتواصل معك إذا احتجنا إلى مزيد من المعلومات، ثم نرسل إليك ردّنا كتابيًا.',
    due: 'نسعى إلى إرسال ردّنا إليك في موعد أقصاه {dueDate}.',
    track: 'يمكنك متابعة شكواك في أي وقت: {trackingUrl}',
    reply: 'لإضافة معلومات، ما عليك سوى الرد على هذه الرسالة مع الإبقاء على الرقم المرجعي في الموضوع.',
    sms: 'استلمنا شكواك. الرقم المرجعي {reference}. للمتابعة: {trackingUrl}',
  },
  message: {
    subject: 'رسالة بشأن شكواك {reference}',
    intro: 'كتب إليك فريق الشكاوى بشأن شكواك {reference}:',
    sms: 'أرسلنا إليك رسالة بشأن شكواك {reference}: {trackingUrl}',
  },
  informationRequest: {
    subject: 'نحتاج إلى مزيد من المعلومات – الشكوى {reference}',
    intro: 'لمواصلة النظر في شكواك {reference}، نحتاج منك إلى بعض المعلومات الإضافية:',
    after: 'يُرجى الرد على هذه الرسالة (مع الإبقاء على الرقم المرجعي في الموضوع) أو استخدام رابط المتابعة: {trackingUrl}',
    sms: 'نحتاج إلى معلومات إضافية بشأن شكواك {reference}: {trackingUrl}',
  },
  decision: {
    subject: 'ردّنا على شكواك {reference}',
    intro: 'انتهينا من النظر في شكواك {reference}. قرارنا: الشكوى {outcome}.',
    options:
      'إذا لم تكن راضيًا عن ردّنا، فيمكنك الرد على هذه الرسالة خلال ثمانية أسابيع ليراجع شكواك شخص لم يشارك في القرار. ويمكنك أيضًا إحالة شكواك مجانًا إلى أمين المظالم أو إلى جهة مستقلة لتسوية النزاعات، مع مراعاة المهل المحددة (ستة أشهر عادةً من تاريخ هذه الرسالة).',
    sms: 'أرسلنا إليك ردّنا على شكواك {reference}: {trackingUrl}',
  },
  closure: {
    subject: 'أُغلقت شكواك {reference}',
    body: 'أغلقنا شكواك {reference}. شكرًا لإتاحتك لنا الفرصة لتصحيح الأمور.',
    reopen: 'إذا بقي أمر دون حل، فرُدّ على هذه الرسالة وسنعيد النظر فيه.',
    sms: 'أُغلقت شكواك {reference}.',
  },
  survey: {
    subject: 'كيف تعاملنا مع شكواك {reference}؟',
    body: 'نودّ أن نعرف رأيك في طريقة تعاملنا مع شكواك، لا في النتيجة نفسها. يستغرق الاستبيان دقيقتين تقريبًا: {surveyUrl}',
    sms: 'شاركنا رأيك في طريقة تعاملنا مع شكواك {reference}: {surveyUrl}',
  },
  withdrawn: {
    subject: 'سُحبت شكواك {reference}',
    body: 'بناءً على طلبك، سحبنا شكواك {reference}. إذا غيّرت رأيك، فرُدّ على هذه الرسالة.',
    sms: 'سُحبت شكواك {reference} بناءً على طلبك.',
  },
  outOfScope: {
    subject: 'بشأن شكواك {reference}',
    body: 'نظرنا في شكواك {reference}، وتبيّن أنها لا تدخل ضمن ما يمكننا معالجته وفق إجراءات الشكاوى لدينا.',
    disagree: 'إذا كنت لا توافق على ذلك، فرُدّ على هذه الرسالة.',
    sms: 'أرسلنا إليك رسالة بشأن شكواك {reference}: {trackingUrl}',
  },
  portalLink: {
    subject: 'رابط المتابعة الجديد – الشكوى {reference}',
    body: 'إليك رابطك الخاص الجديد لمتابعة شكواك {reference}: {trackingUrl}',
    secret: 'رمزك السري الجديد، لاستخدامه مع الرقم المرجعي: {secret}',
    sms: 'رابط متابعة جديد لشكواك {reference}: {trackingUrl}',
  },
};
