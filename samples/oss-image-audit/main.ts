import { serve } from 'fc-kernel';
import { AuditImagesFunction } from '.';

void serve(AuditImagesFunction).then((server) => {
  // Undefined in non-web-server mode, where stdout carries the result.
  if (server) console.log(`audit-images listening on 0.0.0.0:${server.port}`);
});
