import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invokeEndLine, invokeStartLine, REQUEST_ID_HEADER } from '../shared/fcProtocol';

/**
 * FC's marker lines around each invocation. A middleware rather than an interceptor, because it
 * runs before the body is parsed: a body that is not JSON is an invocation too.
 */
@Injectable()
export class FcMarkersMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const requestId = req.headers[REQUEST_ID_HEADER];
    console.log(invokeStartLine(requestId));
    res.on('finish', () => console.log(invokeEndLine(requestId, res.statusCode !== 200)));
    next();
  }
}
