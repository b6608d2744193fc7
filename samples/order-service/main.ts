// Before anything that declares a decorated class: tsyringe and class-transformer read the Reflect
// metadata API when they load. Importing fc-kernel first would do as well.
import 'reflect-metadata';
import { serve } from 'fc-kernel';
import { serveOptions } from './serveOptions';

void serve(serveOptions()).then((server) => {
  // Undefined in non-web-server mode, where stdout carries the result.
  if (server) console.log(`create-order listening on 0.0.0.0:${server.port}`);
});
