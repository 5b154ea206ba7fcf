/**
 * A real SMTP server on loopback for tests: each message it receives is parsed and handed to
 * `onMessage`. Plain JavaScript so that the e2e launcher (scripts/e2e-server.mjs) can use it as
 * well as the TypeScript tests (test/smtp.ts).
 */
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export async function startMailServer(onMessage) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          onMessage(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${server.server.address().port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
