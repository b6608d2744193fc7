import { serve } from 'fc-kernel';
import { IngestReadingsFunction } from '.';

void serve(IngestReadingsFunction).then((server) => {
  // Undefined in non-web-server mode, where stdout carries the result.
  if (server) console.log(`ingest-readings listening on 0.0.0.0:${server.port}`);
});
