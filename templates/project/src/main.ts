// What the container runs (npm start; the image, bundled by fc-kernel build): FC's HTTP server on
// 0.0.0.0, port FC_CUSTOM_LISTEN_PORT, else FC_SERVER_PORT, else 9000; or, when
// FC_CUSTOM_CONTAINER_EVENT is set, that one event, then exit. SIGTERM drains the requests in
// flight and exits 0.
import { serve } from 'fc-kernel';
import { QuoteFunction } from '.';

void serve(QuoteFunction).then((server) => {
  // Undefined in non-web-server mode, where stdout carries the result.
  if (server) console.log(`my-function listening on 0.0.0.0:${server.port}`);
});
