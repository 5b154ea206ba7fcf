export * from "./reference";
export * from "./prices";
export * from "./providers";
export * from "./auth";
export * from "./tracking";
export * from "./alerts";
