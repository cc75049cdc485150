export * from './config.ts';
export { buildServer, type ServerOptions, startServer } from './server/app.ts';
