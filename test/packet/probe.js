// Packet-test client: tries every target at once and prints one JSON object
// { "<proto> <address> <port>": true | false } (true: the peer answered).
// Usage: node probe.js '{"timeoutMs":800,"targets":[{"proto":"tcp","address":"169.254.169.254","port":80}]}'
// (a TCP target may name the localAddress to connect from)
'use strict';
const dgram = require('dgram');
const net = require('net');

const cfg = JSON.parse(process.argv[2]);
const timeout = cfg.timeoutMs ?? 800;

function tcp(address, port, localAddress) {
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port, localAddress });
    const finish = (ok) => { clearTimeout(t); s.destroy(); resolve(ok); };
    const t = setTimeout(() => finish(false), timeout);
    s.on('data', (d) => finish(d.toString() === 'ok'));
    s.on('error', () => finish(false));
  });
}

function udp(address, port) {
  return new Promise((resolve) => {
    const s = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
    const finish = (ok) => { clearTimeout(t); s.close(); resolve(ok); };
    const t = setTimeout(() => finish(false), timeout);
    s.on('message', (m) => finish(m.toString() === 'ok'));
    s.on('error', () => finish(false));
    s.send('probe', port, address);
  });
}

Promise.all(cfg.targets.map(async (x) => [`${x.proto} ${x.address} ${x.port}`, await (x.proto === 'tcp' ? tcp : udp)(x.address, x.port, x.localAddress)]))
  .then((pairs) => process.stdout.write(`${JSON.stringify(Object.fromEntries(pairs))}\n`));
