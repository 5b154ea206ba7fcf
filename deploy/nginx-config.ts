/**
 * A reader of nginx's configuration syntax, enough for the deployment's tests to look at
 * deploy/nginx.conf as nginx would: directives with their arguments, blocks nested. Quoted
 * arguments, comments and `{ }` blocks; not includes or variables' values.
 */

export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
  line: number;
}

function tokens(text: string): { value: string; line: number }[] {
  const out: { value: string; line: number }[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") line++;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "{" || c === "}" || c === ";") {
      out.push({ value: c, line });
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== c) {
        if (text[j] === "\\" && j + 1 < text.length) j++;
        if (text[j] === "\n") line++;
        value += text[j];
        j++;
      }
      if (j >= text.length) throw new Error(`line ${line}: unterminated quote`);
      out.push({ value: `\u0000${value}`, line });
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s;{}#]/.test(text[j]!)) j++;
      out.push({ value: text.slice(i, j), line });
      i = j;
    }
  }
  return out;
}

/** The configuration's directives; throws, naming the line, on unbalanced blocks or a missing `;`. */
export function parseNginx(text: string): Directive[] {
  const list = tokens(text);
  let at = 0;
  const unquote = (value: string) => (value.startsWith("\u0000") ? value.slice(1) : value);
  const readBlock = (nested: boolean): Directive[] => {
    const directives: Directive[] = [];
    let words: { value: string; line: number }[] = [];
    while (at < list.length) {
      const token = list[at++]!;
      if (token.value === ";") {
        if (words.length === 0) throw new Error(`line ${token.line}: empty directive`);
        directives.push({ name: unquote(words[0]!.value), args: words.slice(1).map((w) => unquote(w.value)), line: words[0]!.line });
        words = [];
      } else if (token.value === "{") {
        if (words.length === 0) throw new Error(`line ${token.line}: a block without a name`);
        const block = readBlock(true);
        directives.push({ name: unquote(words[0]!.value), args: words.slice(1).map((w) => unquote(w.value)), block, line: words[0]!.line });
        words = [];
      } else if (token.value === "}") {
        if (!nested) throw new Error(`line ${token.line}: unexpected }`);
        if (words.length) throw new Error(`line ${token.line}: missing ; after ${words[0]!.value}`);
        return directives;
      } else {
        words.push(token);
      }
    }
    if (nested) throw new Error("unclosed block at the end of the file");
    if (words.length) throw new Error(`line ${words[0]!.line}: missing ; after ${words[0]!.value}`);
    return directives;
  };
  return readBlock(false);
}

/** Every directive named `name` in `directives` and the blocks under them. */
export function findAll(directives: Directive[], name: string): Directive[] {
  return directives.flatMap((d) => [...(d.name === name ? [d] : []), ...(d.block ? findAll(d.block, name) : [])]);
}

/** The directives directly in `directives` named `name`. */
export function own(directives: Directive[], name: string): Directive[] {
  return directives.filter((d) => d.name === name);
}

/** nginx's size syntax (1m, 64k, 512) in bytes. */
export function bytes(size: string): number {
  const match = /^(\d+)([kKmMgG]?)$/.exec(size);
  if (!match) throw new Error(`not an nginx size: ${size}`);
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Number(match[1]) * unit;
}

/** nginx's time syntax (60s, 5m, 1h, 500ms, or seconds) in milliseconds. */
export function milliseconds(time: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(time);
  if (!match) throw new Error(`not an nginx time: ${time}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}
