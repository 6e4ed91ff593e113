// Packet-test peer: answers "ok" on TCP ports (all local addresses) and UDP ports (one socket per
// address, so replies leave from the address the probe targeted). Prints "ready" when listening,
// then "udp <address> <port> from <source>" for every datagram it receives.
// Usage: node listener.js '{"tcp":[80],"udp":[53],"udpAddresses":["169.254.169.253"]}'
'use strict';
const dgram = require('dgram');
const net = require('net');

const cfg = JSON.parse(process.argv[2]);
let pending = 0;
const done = () => { if (--pending === 0) process.stdout.write('ready\n'); };

for (const port of cfg.tcp ?? []) {
  pending++;
  const server = net.createServer((s) => { s.on('error', () => {}); s.end('ok'); });
  server.on('error', (e) => { process.stderr.write(`tcp ${port}: ${e.message}\n`); process.exit(1); });
  server.listen({ port, host: '::', ipv6Only: false }, done);
}
for (const port of cfg.udp ?? []) {
  for (const address of cfg.udpAddresses ?? []) {
    pending++;
    const sock = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
    sock.on('message', (_msg, rinfo) => {
      // Every datagram received, so tests can tell that a service never saw a packet.
      process.stdout.write(`udp ${address} ${port} from ${rinfo.address}\n`);
      sock.send('ok', rinfo.port, rinfo.address);
    });
    sock.on('error', (e) => { process.stderr.write(`udp ${address}:${port}: ${e.message}\n`); process.exit(1); });
    sock.bind(port, address, done);
  }
}
if (pending === 0) process.stdout.write('ready\n');
