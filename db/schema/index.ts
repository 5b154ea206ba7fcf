export * from "./reference";
export * from "./prices";
export * from "./providers";
