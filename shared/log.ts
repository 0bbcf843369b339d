/** Structured JSON logs for handlers (Powertools for AWS Lambda), at the configured level. */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from './config';

/** A Powertools logger for one function, honouring config.logLevel. */
export function createLogger(config: Config, serviceName: string): Logger {
  return new Logger({ serviceName: `tributary-${serviceName}`, logLevel: config.logLevel });
}
