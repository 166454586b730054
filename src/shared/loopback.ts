/** Whether `host` names this machine (RFC 6761 §6.3 `localhost`, 127.0.0.0/8, `::1`): the only place a password may travel without TLS. */
export function isLoopbackHost(host: string): boolean {
  return /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(host);
}
