import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { fcErrorBody } from '../shared/fcProtocol';

/** Every failure, Nest's own included (no route, bad JSON), in FC's error shape with 404. */
@Catch()
export class FcExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply.status(404).header('x-fc-status', '404').send(fcErrorBody(exception));
  }
}
