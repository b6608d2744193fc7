import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { FC_BODY_LIMIT } from '../shared/fcProtocol';
import { createValidationPipe } from './createValidationPipe';
import { FcExceptionFilter } from './FcExceptionFilter';
import { OrderModule } from './OrderModule';

/*
 * The order function as a NestJS app on Fastify: a module with a controller and an injected
 * provider, the global `ValidationPipe`, a middleware for FC's marker lines and an exception
 * filter for FC's error shape.
 */
async function bootstrap(): Promise<void> {
  const adapter = new FastifyAdapter({ bodyLimit: FC_BODY_LIMIT, connectionTimeout: 0, keepAliveTimeout: 0 });
  // Warnings and errors only, as a production deployment logs.
  const app = await NestFactory.create<NestFastifyApplication>(OrderModule, adapter, { logger: ['error', 'warn'] });
  // FC sends every event as application/octet-stream.
  app.useBodyParser('application/octet-stream', { bodyLimit: FC_BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body.toString('utf8')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new FcExceptionFilter());
  await app.listen(Number(process.env.FC_CUSTOM_LISTEN_PORT ?? 9000), '0.0.0.0');
}

void bootstrap();
