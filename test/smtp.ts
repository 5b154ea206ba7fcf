import type { ParsedMail } from "mailparser";
import { startMailServer as startServer } from "@/scripts/mail-server.mjs";

/** A real SMTP server on loopback that keeps what it receives (tests only). */
export interface TestMailServer {
  url: string;
  messages: ParsedMail[];
  /** Message number `index` (0: the first received), waiting for it to arrive. */
  message(index: number, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

export async function startMailServer(): Promise<TestMailServer> {
  const messages: ParsedMail[] = [];
  const server = await startServer((mail) => messages.push(mail));
  return {
    url: server.url,
    messages,
    async message(index, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (messages.length <= index && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      const mail = messages[index];
      if (!mail) throw new Error(`email ${index + 1} did not arrive`);
      return mail;
    },
    close: server.close,
  };
}

/** A header of a received email as it was sent (unfolded), or undefined. */
export function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((header) => header.key === name.toLowerCase())?.line;
  return line?.replace(/\r?\n[ \t]+/g, " ").slice(name.length + 1).trim();
}
