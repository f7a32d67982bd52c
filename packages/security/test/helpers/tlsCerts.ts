import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The openssl CLI the TLS tests need (CI installs it); a missing one fails the tests. */
export const OPENSSL = '/usr/bin/openssl';

/** PEM material made at test time: a private CA, a server and a client certificate it signed, and a self-signed server certificate. */
export interface TestPki {
  /** The CA certificate. */
  ca: string;
  /** Server certificate for `DNS:<serverName>` (no IP address), signed by the CA, and its key. */
  server: { cert: string; key: string };
  /** Client certificate (extendedKeyUsage clientAuth), signed by the CA, and its key. */
  client: { cert: string; key: string };
  /** A self-signed server certificate for `DNS:<serverName>` and `IP:127.0.0.1`, and its key. */
  selfSigned: { cert: string; key: string };
  serverName: string;
}

/** Generates a {@link TestPki} with the `openssl` CLI (P-256 keys, valid for 2 days). Throws when openssl is missing or fails. */
export function generateTestPki(serverName = 'syslog.test'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-pki-'));
  const run = (...args: string[]): void => {
    execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const signed = (name: string, subject: string, extensions: string, serial: string): void => {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    run('req', '-new', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', serial, '-days', '2', '-out', `${name}.pem`, '-extfile', `${name}.ext`);
  };
  try {
    run('req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Lookout Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    signed('server', `/CN=${serverName}`, `subjectAltName=DNS:${serverName}\nextendedKeyUsage=serverAuth\n`, '2');
    signed('client', '/CN=lookout-client', 'extendedKeyUsage=clientAuth\n', '3');
    run('req', '-x509', ...newKey, '-keyout', 'self.key', '-out', 'self.pem', '-days', '2', '-subj', `/CN=${serverName}`, '-addext', `subjectAltName=DNS:${serverName},IP:127.0.0.1`);
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    return {
      ca: read('ca.pem'),
      server: { cert: read('server.pem'), key: read('server.key') },
      client: { cert: read('client.pem'), key: read('client.key') },
      selfSigned: { cert: read('self.pem'), key: read('self.key') },
      serverName,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
