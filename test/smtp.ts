import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

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
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async message(index, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (messages.length <= index && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      const mail = messages[index];
      if (!mail) throw new Error(`email ${index + 1} did not arrive`);
      return mail;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
