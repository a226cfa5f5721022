#!/usr/bin/env node
// Serves the test phone page (tests/e2e/page + the Web SDK) for use by hand:
//   node tests/e2e/serve_page.mjs [PORT]   -> http://127.0.0.1:PORT/ (default 8090)
// Open it in a browser on the same machine; ?server=ws://127.0.0.1:8080 picks the callgate URL.
import { startStaticServer } from '../lib/e2e.mjs';

const port = Number(process.argv[2] ?? 8090);
const s = await startStaticServer(port);
console.log(`test phone on ${s.url} (Ctrl-C to stop)`);
