/**
 * A reader of a Dockerfile's stages, enough for the deployment's tests: instructions with their
 * arguments (continuation lines joined, comments left out), grouped by stage, with the global
 * ARGs' defaults substituted into FROM as Docker does.
 */

export interface Instruction {
  keyword: string;
  value: string;
  line: number;
}

export interface Stage {
  /** The image it starts from, ARGs substituted. */
  from: string;
  name: string | null;
  instructions: Instruction[];
}

export interface Dockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      const next = lines[i]!;
      if (/^\s*#/.test(next)) continue;
      line = line.replace(/\\\s*$/, " ") + next.trim();
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`line ${start + 1}: not an instruction: ${line}`);
    instructions.push({ keyword: match[1]!.toUpperCase(), value: match[2]!.trim(), line: start + 1 });
  }
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const [image, as, name] = instruction.value.split(/\s+/);
      const from = image!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => args[(a ?? b)!] ?? "");
      stages.push({ from, name: as?.toUpperCase() === "AS" ? name! : null, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== "ARG") throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      const [name, value = ""] = instruction.value.split("=");
      args[name!.trim()] = value.trim();
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** A stage by name, and the stages it builds on (FROM <stage>), nearest first. */
export function lineage(file: Dockerfile, name: string): Stage[] {
  const chain: Stage[] = [];
  let stage = file.stages.find((s) => s.name === name);
  while (stage) {
    chain.push(stage);
    const parent = stage.from;
    stage = file.stages.find((s) => s.name === parent);
  }
  return chain;
}

/** The instructions with this keyword in a stage and those it builds on, the stage's own last. */
export function inherited(file: Dockerfile, name: string, keyword: string): Instruction[] {
  return lineage(file, name)
    .reverse()
    .flatMap((stage) => stage.instructions.filter((i) => i.keyword === keyword));
}

/** ENV instructions (`A=1 B=2` or `A 1`) as one map, in order, later ones winning. */
export function envOf(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { value } of instructions) {
    if (!value.includes("=")) {
      const [key, ...rest] = value.split(/\s+/);
      env[key!] = rest.join(" ");
      continue;
    }
    for (const pair of value.match(/(\w+)=("[^"]*"|\S*)/g) ?? []) {
      const [key, raw] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      env[key] = raw.replace(/^"|"$/g, "");
    }
  }
  return env;
}
