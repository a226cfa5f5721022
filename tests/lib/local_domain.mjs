// e2e layout for callgate's local SIP domain (--domain-enabled 1): no Kamailio; callgate is
// registrar and proxy on 127.0.0.1:5070 for users 1000-1003 (password 1234). Web SDK pages
// register through callgate's gateway with sipDomain/sipOutboundProxy 127.0.0.1 and sipPort
// 5070; baresip registers with outbound proxy sip:127.0.0.1:5070.
import { startCallgate } from './callgate.mjs';
import { e2eAccount, e2eCallgatePorts, openTestPage, startStaticServer } from './e2e.mjs';
import { LOOPBACK, waitForPort } from './procs.mjs';

export const DOMAIN_PORT = 5070;
export const DOMAIN_USERS = '1000:1234,1001:1234,1002:1234,1003:1234';
export const DOMAIN_PROXY = `sip:${LOOPBACK}:${DOMAIN_PORT}`;

export function domainCallgateArgs(extra = []) {
  return ['--domain-enabled', '1', '--domain-port', String(DOMAIN_PORT), '--domain-users', DOMAIN_USERS, ...extra];
}

/** Page account (cg.connect options) of `login` in the local domain. */
export function domainAccount(login = '1000', overrides = {}) {
  return e2eAccount({ login, authName: login, port: DOMAIN_PORT, ...overrides });
}

/** callgate with the local domain on, the static page server and one Chromium page. */
export async function startDomainStack(ctx, { callgateArgs = [] } = {}) {
  const callgate = await startCallgate(ctx.procs, e2eCallgatePorts(), domainCallgateArgs(callgateArgs));
  await waitForPort('udp', DOMAIN_PORT, 5000, callgate);
  const http = await startStaticServer(8090);
  ctx.onCleanup(() => http.close());
  const b = await openTestPage(ctx.dir, http.url);
  ctx.onCleanup(() => b.close());
  return { callgate, page: b.page, http };
}
