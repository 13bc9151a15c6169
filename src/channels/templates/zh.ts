import type { TemplateStrings } from './types.ts';

export const zh: TemplateStrings = {
  greeting: '{name}，您好：',
  greetingAnonymous: '您好：',
  signature: '投诉处理团队',
  labels: { reference: '投诉编号', track: '查询投诉进展', reasons: '理由', remedies: '补救措施', reason: '原因' },
  outcomes: { upheld: '成立', partly_upheld: '部分成立', not_upheld: '不成立' },
  acknowledgement: {
    subject: '我们已收到您的投诉——编号 {reference}',
    heading: '感谢您与我们联系',
    received: '我们已于 {receivedDate} 收到您的投诉，编号为 {reference}。今后联系我们时请注明此编号。',
    whatNext: '后续步骤：投诉处理团队的工作人员将审阅您提供的情况，如需更多信息会与您联系，并以书面形式向您答复。',
    due: '我们将争取在 {dueDate} 之前给您答复。',
    track: '您可以随时查看投诉进展：{trackingUrl}',
    reply: '如需补充信息，请直接回复本邮件，并保留主题中的编号。',
    sms: '我们已收到您的投诉，编号 {reference}。查询进展：{trackingUrl}',
  },
  message: {
    subject: '关于您的投诉 {reference} 的消息',
    intro: '投诉处理团队就您的投诉 {reference} 给您留言：',
    sms: '我们就您的投诉 {reference} 给您发送了消息：{trackingUrl}',
  },
  informationRequest: {
    subject: '需要补充信息——投诉 {reference}',
    intro: '为继续处理您的投诉 {reference}，我们需要您补充以下信息：',
    after: '请回复本邮件（保留主题中的编号），或通过查询链接提交：{trackingUrl}',
    sms: '您的投诉 {reference} 需要补充信息：{trackingUrl}',
  },
  decision: {
    subject: '我们对您的投诉 {reference} 的答复',
    intro: '我们已完成对您的投诉 {reference} 的调查。我们的决定：您的投诉{outcome}。',
    options:
      '如果您对我们的答复不满意，可在八周内回复本邮件，我们将安排未参与此决定的人员进行复核。您也可以免费将投诉提交给申诉专员或独立的争议解决机构，但须注意时限（通常为本函日期起六个月内）。',
    sms: '我们已就您的投诉 {reference} 作出答复：{trackingUrl}',
  },
  closure: {
    subject: '您的投诉 {reference} 已结案',
    body: '您的投诉 {reference} 已结案。感谢您给我们改进的机会。',
    reopen: '如仍有未解决的问题，请回复本邮件，我们会重新处理。',
    sms: '您的投诉 {reference} 已结案。',
  },
  survey: {
    subject: '我们处理您的投诉 {reference} 的表现如何？',
    body: '我们希望了解您对我们处理投诉方式的评价（而非对结果本身）。问卷大约需要两分钟：{surveyUrl}',
    sms: '请评价我们对投诉 {reference} 的处理：{surveyUrl}',
  },
  withdrawn: {
    subject: '您的投诉 {reference} 已撤回',
    body: '根据您的要求，我们已撤回您的投诉 {reference}。如您改变主意，请回复本邮件。',
    sms: '根据您的要求，投诉 {reference} 已撤回。',
  },
  outOfScope: {
    subject: '关于您的投诉 {reference}',
    body: '我们审阅了您的投诉 {reference}，该事项不属于我们投诉处理程序的受理范围。',
    disagree: '如您不同意，请回复本邮件。',
    sms: '我们就您的投诉 {reference} 给您发送了消息：{trackingUrl}',
  },
  portalLink: {
    subject: '新的查询链接——投诉 {reference}',
    body: '这是您查询投诉 {reference} 进展的新专属链接：{trackingUrl}',
    secret: '您的新密码（与投诉编号一起使用）：{secret}',
    sms: '投诉 {reference} 的新查询链接：{trackingUrl}',
  },
};
