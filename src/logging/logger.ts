import { pino, type Logger } from 'pino';
import { loadConfig } from '../config/index.js';

let root: Logger | undefined;

/** The process's structured (JSON lines) logger, at the configured level. */
export function logger(): Logger {
  root ??= pino({ level: loadConfig().logLevel, base: { service: 'funding-graph' } });
  return root;
}
