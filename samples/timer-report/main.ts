import { serve } from 'fc-kernel';
import { SalesReportFunction } from '.';

void serve(SalesReportFunction).then((server) => {
  // Undefined in non-web-server mode, where stdout carries the result.
  if (server) console.log(`sales-report listening on 0.0.0.0:${server.port}`);
});
