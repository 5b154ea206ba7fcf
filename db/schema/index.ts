export * from "./reference";
export * from "./prices";
