export { type AccountSpec, ensureAccount } from './access/accounts.ts';
export { jwtSecret } from './access/jwt-secret.ts';
export { DEMO_PASSWORDS } from './access/passwords.ts';
export * from './config.ts';
export { buildServer, type ServerOptions, startServer } from './server/app.ts';
