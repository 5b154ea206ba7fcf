import nextEnv from "@next/env";

// Scripts read .env files the way `next dev` and `next start` do, so both see the same settings.
// This module must be imported before anything that reads @/server/env.
nextEnv.loadEnvConfig(process.cwd());
