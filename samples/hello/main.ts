import { serve } from 'fc-kernel';
import { Hello } from '.';

void serve(Hello).then((server) => {
  // Undefined in non-web-server mode, where stdout carries the result.
  if (server) console.log(`hello listening on 0.0.0.0:${server.port}`);
});
