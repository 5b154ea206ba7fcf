import type { ParsedMail } from "mailparser";

export interface MailServer {
  /** smtp://127.0.0.1:PORT, for EMAIL_SERVER. */
  url: string;
  close(): Promise<void>;
}

export function startMailServer(onMessage: (mail: ParsedMail) => void): Promise<MailServer>;
