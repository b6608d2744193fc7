import type { InjectionToken } from 'fc-kernel';

/** One report, ready to send. */
export interface ReportMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/** Sends the reports. Injected by token, so a test or a real mail service (DirectMail, SMTP) can replace it. */
export interface ReportMailer {
  send(mail: ReportMail): Promise<void>;
}

export const REPORT_MAILER: InjectionToken<ReportMailer> = Symbol('ReportMailer');

/** Keeps the mails instead of sending them, for running the sample without a mail service. */
export class OutboxMailer implements ReportMailer {
  readonly outbox: ReportMail[] = [];

  async send(mail: ReportMail): Promise<void> {
    this.outbox.push(mail);
  }
}
