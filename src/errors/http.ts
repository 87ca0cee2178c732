/**
 * The error boundary for the routes around GraphQL: every failure Express sees (a body that is
 * not JSON or too large, an unknown route, a bug) becomes a JSON answer with a stable code and
 * its HTTP status — never an HTML page or a stack trace.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ErrorCode, HTTP_STATUS } from './index.js';

const body = (code: ErrorCode, message: string) => ({
  errors: [{ message, extensions: { code } }],
});

/**
 * A failure outside GraphQL answered in GraphQL's error shape, with the code's HTTP status;
 * `extra` adds fields beside `errors` (such as `/ready`'s `ready: false`).
 */
export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res.status(HTTP_STATUS[code]).json({ ...extra, ...body(code, message) });
}

/** body-parser's error types (its stable `type` property), as client mistakes. */
const BODY_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  'entity.parse.failed': { code: ErrorCode.BAD_REQUEST, message: 'The body is not valid JSON.' },
  'entity.too.large': {
    code: ErrorCode.PAYLOAD_TOO_LARGE,
    message: 'The body is larger than the server accepts.',
  },
  'encoding.unsupported': {
    code: ErrorCode.BAD_REQUEST,
    message: 'The body has an encoding the server does not read.',
  },
  'charset.unsupported': {
    code: ErrorCode.BAD_REQUEST,
    message: 'The body has a charset the server does not read.',
  },
  'request.aborted': { code: ErrorCode.BAD_REQUEST, message: 'The request was aborted.' },
};

export function notFound(): RequestHandler {
  return (req, res) => {
    sendError(res, ErrorCode.NOT_FOUND, `No route ${req.method} ${req.path}.`);
  };
}

export function jsonErrors(log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const type = (error as { type?: unknown }).type;
    const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
    if (known) {
      sendError(res, known.code, known.message);
      return;
    }
    log.error({ err: error }, 'unexpected error');
    sendError(res, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
  };
}
